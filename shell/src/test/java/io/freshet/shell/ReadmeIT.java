package io.freshet.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example in README.md runs as printed, in the order it is printed, through what a user runs: SQL sessions
 * typed into {@code bin/freshet} in a terminal (with the output they show checked), scripts run with
 * {@code bin/freshet -f}, shell commands run with bash in the checkout, and Java programs run with
 * {@code java -cp shell/target/freshet.jar Program.java}. Each code block says how in an HTML comment just above it:
 *
 * <ul>
 *   <li>{@code <!-- example: shell -->}: a session; {@code freshet> } lines are typed (continued by
 *       {@code      -> } lines), the others are the output expected, compared with runs of spaces and dashes
 *       counting as one (column widths follow the values); {@code ...} on a line of its own stands for any lines,
 *       inside a line for any text; a statement whose output ends with {@code ...} runs until its lines are shown,
 *       and is then stopped with Ctrl-C; an {@code [ERROR]} or {@code [WARN]} line the README does not show fails
 *       the session;</li>
 *   <li>{@code <!-- example: script -->}: SQL run with {@code bin/freshet -f}, which must succeed;</li>
 *   <li>{@code <!-- example: bash -->}: commands run with bash in the checkout, which must succeed;</li>
 *   <li>{@code <!-- example: java -->}: a program, saved under its class name and run from source;</li>
 *   <li>{@code <!-- example: not run; reason: ... -->}: not run, and why.</li>
 * </ul>
 * Options, separated by {@code ;}: {@code expect: text} (the output must hold it, spaces and dashes compared as in a
 * session), {@code until: text} (the
 * command runs until its output holds the text, then gets SIGTERM), {@code server: port line|line} (a TCP server
 * on that port sends those lines to the first client, as {@code nc -lk port} would with them typed in), and
 * {@code args: ...} (arguments for {@code bin/freshet} in a session or script). A block without a comment fails
 * the test, so the README cannot show an example that nobody runs.
 */
@Order(1) // see junit-platform.properties: the longest classes start first, side by side
class ReadmeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final Pattern COMMENT = Pattern.compile("<!-- example: (.*?) -->");
  private static Path work;

  /** A fenced code block, the comment above it, and where it starts. */
  record Example(int line, String kind, Map<String, String> options, String code) {
    @Override
    public String toString() {
      return "README.md line " + line + " (" + kind + ")";
    }
  }

  @BeforeAll
  static void setUp() throws IOException {
    work = Files.createTempDirectory("freshet-readme-");
  }

  @AfterAll
  static void stopServices() throws Exception {
    // A broker an example started with bin/kafka-local, stopped whatever happened.
    Launcher.run(environment(Launcher.builder("kafka-local", List.of("stop"), null)), "", TIMEOUT);
  }

  /** The child's environment: a small JVM, and the examples' broker data in the test's own directory. */
  private static ProcessBuilder environment(ProcessBuilder builder) {
    builder.environment().put("FRESHET_KAFKA_DIR", work.resolve("kafka").toString());
    builder.environment().put("FRESHET_LOG_DIR", work.resolve("log").toString());
    return builder;
  }

  static List<Example> examples() throws IOException {
    List<String> lines = Files.readAllLines(Launcher.REPOSITORY.resolve("README.md"), StandardCharsets.UTF_8);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("```")) {
        continue;
      }
      int start = i;
      StringBuilder code = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        code.append(lines.get(i)).append('\n');
      }
      int above = start - 1;
      while (above >= 0 && lines.get(above).isBlank()) {
        above--;
      }
      Matcher m = above >= 0 ? COMMENT.matcher(lines.get(above)) : null;
      if (m == null || !m.matches()) {
        throw new AssertionError("README.md line " + (start + 1) + ": a code block without an <!-- example: ... -->"
            + " comment saying how the test runs it");
      }
      Map<String, String> options = new LinkedHashMap<>();
      String[] parts = m.group(1).split(";");
      for (int p = 1; p < parts.length; p++) {
        int colon = parts[p].indexOf(':');
        if (colon < 0) {
          throw new AssertionError("README.md line " + (above + 1) + ": '" + parts[p] + "' is not 'option: value'");
        }
        String key = parts[p].substring(0, colon).trim();
        // A reason is the rest of the comment, semicolons and all.
        String value = key.equals("reason") ? String.join(";", java.util.Arrays.copyOfRange(parts, p, parts.length))
            .substring(colon + 1).trim() : parts[p].substring(colon + 1).trim();
        options.put(key, value);
        if (key.equals("reason")) {
          break;
        }
      }
      examples.add(new Example(start + 1, parts[0].trim(), options, code.toString()));
    }
    return examples;
  }

  @TestFactory
  Stream<DynamicTest> everyExampleRunsAsPrinted() throws IOException {
    List<Example> examples = examples();
    assertTrue(examples.size() > 10, "examples found: " + examples.size());
    return examples.stream().map(e -> DynamicTest.dynamicTest(e.toString(), () -> run(e)));
  }

  private void run(Example e) throws Exception {
    switch (e.kind()) {
      case "shell" -> session(e);
      case "script" -> {
        Path file = work.resolve("example-" + e.line() + ".sql");
        Files.writeString(file, e.code());
        List<String> args = new ArrayList<>(arguments(e));
        args.addAll(List.of("-f", file.toString()));
        command(e, environment(Launcher.builder("freshet", args, null)));
      }
      case "bash" -> command(e, environment(new ProcessBuilder("bash", "-euo", "pipefail", "-c", e.code())
          .directory(Launcher.REPOSITORY.toFile())));
      case "java" -> {
        Matcher name = Pattern.compile("public (?:final )?class (\\w+)").matcher(e.code());
        assertTrue(name.find(), e + ": a Java example is a whole program with a public class");
        Path source = Files.createDirectories(work.resolve("java-" + e.line())).resolve(name.group(1) + ".java");
        Files.writeString(source, e.code());
        command(e, environment(new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx512m", "-cp",
            Launcher.REPOSITORY.resolve("shell/target/freshet.jar").toString(), source.toString())
            .directory(Launcher.REPOSITORY.toFile())));
      }
      case "not run" -> assertTrue(e.options().containsKey("reason"), e + ": say why it is not run");
      default -> throw new AssertionError(e + ": unknown kind of example '" + e.kind() + "'");
    }
  }

  private static List<String> arguments(Example e) {
    String args = e.options().get("args");
    return args == null ? List.of() : List.of(args.split(" "));
  }

  /** Runs a command to its end (or, with {@code until}, until its output says so), serving {@code server}. */
  private void command(Example e, ProcessBuilder builder) throws Exception {
    builder.environment().putIfAbsent("FRESHET_JAVA_OPTS", Launcher.JAVA_OPTS);
    try (Server server = e.options().containsKey("server") ? new Server(e.options().get("server")) : null) {
      String until = e.options().get("until");
      String output;
      if (until != null) {
        try (Launcher.Running run = Launcher.Running.start(builder)) {
          output = run.await("'" + until + "' from " + e, s -> normalizeAll(s).contains(normalize(until)));
          run.signal("TERM");
          run.awaitExit(TIMEOUT);
        }
      } else {
        Launcher.Result result = Launcher.run(builder, "", TIMEOUT);
        assertEquals(0, result.exit(), () -> e + " failed:\n" + result.stdout() + "\n" + result.stderr());
        assertTrue(!result.stderr().contains("ERROR"), () -> e + " printed an error:\n" + result.stderr());
        output = result.stdout();
      }
      String expect = e.options().get("expect");
      if (expect != null) {
        assertTrue(normalizeAll(output).contains(normalize(expect)), () -> e + " should print '" + expect + "':\n"
            + output);
      }
    }
  }

  /** A session typed into bin/freshet in a terminal, its output checked against the one printed. */
  private void session(Example e) {
    List<String> statements = new ArrayList<>();
    List<List<String>> outputs = new ArrayList<>();
    for (String line : e.code().split("\n", -1)) {
      Matcher prompt = Launcher.PROMPT.matcher(line);
      if (prompt.lookingAt()) {
        statements.add(line.substring(prompt.end()));
        outputs.add(new ArrayList<>());
      } else if (line.startsWith("     -> ") && !statements.isEmpty()) {
        int last = statements.size() - 1;
        statements.set(last, statements.get(last) + "\n" + line.substring("     -> ".length()));
      } else if (!statements.isEmpty() && !line.isEmpty()) {
        outputs.get(outputs.size() - 1).add(line);
      }
    }
    assertTrue(!statements.isEmpty(), e + ": a session types at least one statement");
    Map<String, String> env = Map.of("FRESHET_KAFKA_DIR", work.resolve("kafka").toString(), "FRESHET_LOG_DIR",
        work.resolve("log").toString());
    try (Launcher.Terminal shell = new Launcher.Terminal("freshet", arguments(e), env)) {
      shell.awaitPrompt(1);
      for (int s = 0; s < statements.size(); s++) {
        List<String> expected = outputs.get(s);
        shell.type(statements.get(s));
        boolean streaming = !expected.isEmpty() && expected.get(expected.size() - 1).equals("...");
        int prompt = s + 1;
        if (streaming) {
          shell.running.await(expected + " after statement " + (s + 1) + " of " + e,
              screen -> matches(after(screen, prompt), expected));
          shell.ctrlC();
        }
        String screen = shell.awaitPrompt(prompt + 1);
        String shown = after(screen, prompt);
        assertTrue(matches(shown, expected), () -> e + ", statement " + statements.get(prompt - 1) + ": expected\n"
            + String.join("\n", expected) + "\nbut the shell showed\n" + shown);
      }
      shell.ctrlD();
      assertEquals(0, shell.running.awaitExit(TIMEOUT));
    }
  }

  /** The screen after the {@code n}-th prompt, up to the next one. */
  private static String after(String screen, int n) {
    List<Integer> prompts = Launcher.PROMPT.matcher(screen).results().map(r -> r.start()).toList();
    if (prompts.size() < n) {
      return "";
    }
    int at = prompts.get(n - 1);
    return screen.substring(at, prompts.size() > n ? prompts.get(n) : screen.length());
  }

  /**
   * Whether the expected lines are in {@code shown}, in order and next to each other, except where a {@code ...}
   * line stands for any lines; the first may come anywhere (after the echo of what was typed).
   */
  static boolean matches(String shown, List<String> expected) {
    List<String> actual = shown.lines().map(ReadmeIT::normalize).toList();
    for (String line : actual) {
      boolean problem = line.startsWith("[ERROR]") || line.startsWith("[WARN]");
      if (problem && expected.stream().noneMatch(w -> lineMatches(line, normalize(w)))) {
        return false;
      }
    }
    int at = 0;
    boolean anywhere = true;
    for (String want : expected) {
      if (want.equals("...")) {
        anywhere = true;
        continue;
      }
      String w = normalize(want);
      int found = -1;
      for (int i = at; i < actual.size() && (anywhere || i == at); i++) {
        if (lineMatches(actual.get(i), w)) {
          found = i;
          break;
        }
      }
      if (found < 0) {
        return false;
      }
      at = found + 1;
      anywhere = false;
    }
    return true;
  }

  private static boolean lineMatches(String actual, String expected) {
    int from = 0;
    String[] pieces = expected.split("\\.\\.\\.", -1);
    for (int p = 0; p < pieces.length; p++) {
      int i = actual.indexOf(pieces[p], from);
      if (i < 0 || p == 0 && i != 0) {
        return false;
      }
      from = i + pieces[p].length();
    }
    // The text after the last "..." ends the line (an empty piece: the line may go on).
    return pieces.length > 1 ? actual.endsWith(pieces[pieces.length - 1]) : actual.equals(expected);
  }

  private static String normalizeAll(String text) {
    return String.join("\n", text.lines().map(ReadmeIT::normalize).toList());
  }

  /** A line with runs of spaces and of dashes as one: table columns are as wide as their values. */
  private static String normalize(String line) {
    return line.replaceAll("-+", "-").replaceAll(" +", " ").strip();
  }

  /** A TCP server on 127.0.0.1 that sends some lines to its first client and keeps the connection open. */
  private static final class Server implements AutoCloseable {
    private final ServerSocket socket;

    Server(String spec) throws IOException {
      int space = spec.indexOf(' ');
      socket = new ServerSocket(Integer.parseInt(spec.substring(0, space)), 1, InetAddress.getLoopbackAddress());
      byte[] text = (String.join("\n", spec.substring(space + 1).split("\\|")) + "\n").getBytes(StandardCharsets.UTF_8);
      Thread t = new Thread(() -> {
        try (Socket client = socket.accept(); OutputStream out = client.getOutputStream()) {
          out.write(text);
          out.flush();
          client.getInputStream().read(); // holds the connection until the client goes
        } catch (IOException ignored) {
          // closed
        }
      }, "readme-server");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
