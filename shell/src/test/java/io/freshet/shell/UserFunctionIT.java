package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own function, as a user writes and runs it: a class compiled into a jar of its own, declared in a
 * script with {@code CREATE FUNCTION ... USING JAR} (or found on {@code FRESHET_CLASSPATH}), called by queries of
 * {@code bin/freshet -f}, and declared again by the script that resumes a query from its checkpoint.
 */
class UserFunctionIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String SHOUT = """
      package com.example;

      public class Shout {
        public String eval(String text) {
          return text == null ? null : text.toUpperCase() + "!";
        }

        public long eval(long number) {
          return -number;
        }
      }
      """;
  private static final String BIDS = "CREATE STREAM b WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = "
      + "'500', 'base-time' = '2026-01-01 00:00:00', 'seed' = '3');\n";

  @TempDir
  Path dir;
  private Path jar;

  @BeforeEach
  void buildTheJar() throws IOException {
    Path source = dir.resolve("src/com/example/Shout.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SHOUT);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "--release", "17", "-d", classes.toString(), source.toString()));
    jar = dir.resolve("functions.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("com/example/Shout.class"));
      Files.copy(classes.resolve("com/example/Shout.class"), (OutputStream) out);
      out.closeEntry();
    }
  }

  private Path script(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void aFunctionFromAJarOfItsOwnIsCalledByAScriptsQueries() throws IOException {
    Path script = script("shout.sql", BIDS
        + "CREATE FUNCTION shout AS 'com.example.Shout' LANGUAGE JAVA USING JAR '" + jar + "';\n"
        + "SELECT channel, shout(channel), auction, shout(auction) FROM b WHERE auction < 1005;\n");
    Launcher.Result run = Launcher.freshet(TIMEOUT, "--no-nexmark", "-f", script.toString(), "-o", "csv").ok();
    assertFalse(run.lines().isEmpty(), run.stdout());
    for (String line : run.lines()) {
      String[] cells = line.split(",");
      assertEquals(cells[0].toUpperCase() + "!", cells[1], line);
      assertEquals(-Long.parseLong(cells[2]), Long.parseLong(cells[3]), line);
    }
  }

  @Test
  void aFunctionOnFreshetClasspathNeedsNoUsingJar() throws IOException {
    Path script = script("classpath.sql", "CREATE FUNCTION shout AS 'com.example.Shout';\nSHOW FUNCTIONS;\n");
    ProcessBuilder withJar = Launcher.builder("freshet", List.of("--no-nexmark", "-f", script.toString(), "-o",
        "csv"), null);
    withJar.environment().put("FRESHET_CLASSPATH", jar.toString());
    Launcher.Result run = Launcher.run(withJar, "", TIMEOUT).ok();
    assertTrue(run.stdout().contains("shout,user-defined scalar,shout(VARCHAR) -> VARCHAR; shout(BIGINT) -> BIGINT "
        + "(class com.example.Shout)"), run.stdout());

    Launcher.Result without = Launcher.freshet(TIMEOUT, "--no-nexmark", "-f", script.toString());
    assertEquals(1, without.exit(), without.stdout());
    assertTrue(without.stderr().contains("Function shout: no class 'com.example.Shout' in the classpath"),
        without.stderr());
    assertFalse(without.stderr().contains("\tat "), without.stderr());
  }

  @Test
  void aQueryCallingTheFunctionResumesFromItsCheckpointWhenTheScriptDeclaresItAgain() throws IOException {
    Path script = script("job.sql", "SET 'checkpoint-location' = '" + dir.resolve("checkpoints") + "';\n" + BIDS
        + "CREATE FUNCTION IF NOT EXISTS shout AS 'com.example.Shout' USING JAR '" + jar + "';\n"
        + "CREATE TABLE out (loud VARCHAR) WITH ('connector' = 'console', 'numRows' = '1000');\n"
        + "INSERT INTO out SELECT shout(channel) FROM b WHERE auction < 1005;\n");
    Launcher.Result first = Launcher.freshet(TIMEOUT, "--no-nexmark", "-f", script.toString()).ok();
    assertTrue(first.stdout().lines().anyMatch(l -> l.matches("\\|\\s*[A-Z0-9-]+!\\s*\\|")), first.stdout());
    // The second run plans the same query with the function declared again and finds all its input done.
    Launcher.Result second = Launcher.freshet(TIMEOUT, "--no-nexmark", "-f", script.toString()).ok();
    assertFalse(second.stdout().contains("!"), second.stdout());
  }
}
