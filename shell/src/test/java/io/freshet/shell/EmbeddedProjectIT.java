package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding instructions work: {@code mvn install} puts the artifacts in a Maven repository, and a
 * separate Maven project ({@code shell/src/test/embedded-project}) that declares nothing but
 * {@code io.freshet:freshet-sql} compiles against them and runs with the JVM flag. The user's own repository is
 * never written: the install goes to a copy of it (without Freshet's artifacts), made from a copy of the modules'
 * sources and compiled classes, so the checkout's build output is not touched either.
 */
class EmbeddedProjectIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private Path work;

  @BeforeEach
  void setUp() throws IOException {
    work = Files.createTempDirectory("freshet-embedded-");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (Stream<Path> paths = Files.walk(work)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Runs a bash script in {@code dir}, with {@code args} as {@code $ARG1}, {@code $ARG2}...; fails the test, with its
   * output, unless it succeeds. Returns its output.
   */
  private static String bash(Path dir, String script, String... args) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile());
    for (int i = 0; i < args.length; i++) {
      builder.environment().put("ARG" + (i + 1), args[i]);
    }
    Launcher.Result result = Launcher.run(builder, "", TIMEOUT);
    assertEquals(0, result.exit(), () -> script + "\nfailed:\n" + result.stdout() + "\n" + result.stderr());
    return result.stdout();
  }

  /**
   * Runs Maven in {@code dir} with the private repository: offline, as the build that runs this test usually is, or
   * online when a plugin it needs was never downloaded (a first build, which ran no install).
   */
  private void maven(Path dir, String arguments) {
    bash(dir, "mvn -B -q -Dmaven.repo.local=\"$ARG1\" -o " + arguments + " > maven.log 2>&1 "
        + "|| { grep -q 'offline mode' maven.log && mvn -B -q -Dmaven.repo.local=\"$ARG1\" " + arguments + "; } "
        + "|| { cat maven.log; exit 1; }", work.resolve("m2").toString());
  }

  @Test
  void aSeparateProjectBuildsAndRunsAgainstTheInstalledArtifacts() {
    Path userRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    assertTrue(Files.isDirectory(userRepository), "no Maven repository at " + userRepository);
    // A private repository with everything the build uses, but no Freshet artifacts.
    bash(work, "cp -r \"$ARG1\" m2 && rm -rf m2/io/freshet", userRepository.toString());
    // The modules' sources and the classes the build compiled already (and the other modules' poms, which the
    // parent lists).
    bash(work, """
        mkdir checkout && cp -p "$ARG1/pom.xml" checkout/
        for m in $(sed -n 's:.*<module>\\(.*\\)</module>.*:\\1:p' "$ARG1/pom.xml"); do
          mkdir -p "checkout/$m" && cp -p "$ARG1/$m/pom.xml" "checkout/$m/"
        done
        for m in exec planner sources streaming-kafka sinks sql; do
          cp -a "$ARG1/$m/src" "checkout/$m/" && mkdir -p "checkout/$m/target"
          cp -a "$ARG1/$m/target/classes" "checkout/$m/target/"
        done
        """, Launcher.REPOSITORY.toString());
    // The README's command for freshet-sql and what it needs, without compiling again (the build did) or running
    // the tests (they ran already): it packages the classes and installs the jars and poms.
    maven(work.resolve("checkout"), "install -Dmaven.test.skip=true -Dmaven.main.skip=true -pl sql -am");
    assertTrue(Files.exists(work.resolve("m2/io/freshet/freshet-sql/0.1.0-SNAPSHOT/freshet-sql-0.1.0-SNAPSHOT.jar")));

    bash(work, "cp -r \"$ARG1\" app", Launcher.REPOSITORY.resolve("shell/src/test/embedded-project").toString());
    maven(work.resolve("app"), "compile dependency:build-classpath -Dmdep.outputFile=classpath.txt");
    String output = bash(work.resolve("app"), "\"$ARG1\" --add-opens=java.base/java.nio=ALL-UNNAMED -Xmx256m "
        + "-cp \"target/classes:$(cat classpath.txt)\" demo.App",
        ProcessHandle.current().info().command().orElse("java"));
    assertTrue(output.contains("bids: [[920]]"), output);
    // The listener's lines, in order (the result's line may come anywhere among them: they are printed by the
    // session's listener thread).
    int started = output.indexOf("started bid_count\n");
    int batch = output.indexOf("batch 0\n");
    int terminated = output.indexOf("terminated\n");
    assertTrue(started >= 0 && started < batch && batch < terminated, output);
  }
}
