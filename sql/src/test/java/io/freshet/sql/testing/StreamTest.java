package io.freshet.sql.testing;

import io.freshet.exec.batch.Values;
import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Row;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A streaming test as a story of actions, in the spirit of Spark's StreamTest: add rows to memory streams,
 * process what is available, check the whole answer or the new rows, stop the query and start it again from
 * its checkpoint, expect a failure. Nothing sleeps: {@link StreamingQuery#processAllAvailable()} waits for the
 * engine to catch up. When a check fails, the report lists every action with an arrow at the failing one, the
 * sink's content, the last progress and the plan.
 *
 * <pre>{@code
 * StreamTest.of(session, "SELECT id, v * 2 FROM s").run(
 *     addData("s", Row.of(1, 10)),
 *     checkAnswer(Row.of(1, 20)),
 *     stopStream(),
 *     addData("s", Row.of(2, 5)),
 *     startStream(),
 *     checkNewAnswer(Row.of(2, 10)));
 * }</pre>
 */
public final class StreamTest {
  private static int counter;

  private final FreshetSession session;
  private final String query;
  private final java.util.function.Supplier<Dataset> dataset;
  private OutputMode mode;
  private Trigger trigger = Trigger.ProcessingTime(0);
  private boolean restartAfterEveryAction;

  private String sinkName;
  private Path checkpoint;
  private StreamingQuery current;
  private int seenRows;

  /** One step of a test. */
  public sealed interface Action permits AddData, ProcessAllAvailable, CheckAnswer, CheckNewAnswer, StopStream,
      StartStream, ExpectFailure, AssertOnQuery { }

  public record AddData(String stream, List<Row> rows) implements Action {
    @Override
    public String toString() {
      return "AddData(" + stream + ", " + rows + ")";
    }
  }

  public record ProcessAllAvailable() implements Action { }

  /** The whole answer, in any order. */
  public record CheckAnswer(List<Row> rows) implements Action {
    @Override
    public String toString() {
      return "CheckAnswer(" + rows + ")";
    }
  }

  /** The rows that arrived since the last check, in any order. */
  public record CheckNewAnswer(List<Row> rows) implements Action {
    @Override
    public String toString() {
      return "CheckNewAnswer(" + rows + ")";
    }
  }

  public record StopStream() implements Action { }

  public record StartStream() implements Action { }

  public record ExpectFailure(String messagePart) implements Action { }

  public record AssertOnQuery(String description, Predicate<StreamingQuery> condition) implements Action {
    @Override
    public String toString() {
      return "AssertOnQuery(" + description + ")";
    }
  }

  private StreamTest(FreshetSession session, String query, java.util.function.Supplier<Dataset> dataset) {
    this.session = session;
    this.query = query;
    this.dataset = dataset;
  }

  /** A test of {@code query} (a SELECT), written to a memory sink. The query starts with the first action. */
  public static StreamTest of(FreshetSession session, String query) {
    return new StreamTest(session, query, () -> session.sql(query));
  }

  /**
   * A test of the Dataset {@code dataset} gives (built anew at each start, as a program would at its restart),
   * described by {@code description}.
   */
  public static StreamTest of(FreshetSession session, String description,
      java.util.function.Supplier<Dataset> dataset) {
    return new StreamTest(session, description, dataset);
  }

  public StreamTest outputMode(OutputMode mode) {
    this.mode = mode;
    return this;
  }

  public StreamTest trigger(Trigger trigger) {
    this.trigger = trigger;
    return this;
  }

  /** Also stops and restarts the query from its checkpoint after every action: the answers must not change. */
  public StreamTest restartAfterEveryAction() {
    this.restartAfterEveryAction = true;
    return this;
  }

  public static Action addData(String stream, Row... rows) {
    return new AddData(stream, List.of(rows));
  }

  public static Action processAllAvailable() {
    return new ProcessAllAvailable();
  }

  public static Action checkAnswer(Row... rows) {
    return new CheckAnswer(List.of(rows));
  }

  public static Action checkNewAnswer(Row... rows) {
    return new CheckNewAnswer(List.of(rows));
  }

  public static Action stopStream() {
    return new StopStream();
  }

  public static Action startStream() {
    return new StartStream();
  }

  public static Action expectFailure(String messagePart) {
    return new ExpectFailure(messagePart);
  }

  public static Action assertOnQuery(String description, Predicate<StreamingQuery> condition) {
    return new AssertOnQuery(description, condition);
  }

  /** Runs the actions in order; the query is started before the first one and stopped after the last. */
  public void run(Action... actions) {
    try {
      checkpoint = Files.createTempDirectory("freshet-streamtest-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    synchronized (StreamTest.class) {
      sinkName = "stream_test_sink_" + (counter++);
    }
    List<Action> list = Arrays.asList(actions);
    int index = -1;
    try {
      start();
      for (index = 0; index < list.size(); index++) {
        Action action = list.get(index);
        perform(action);
        if (restartAfterEveryAction && current != null && current.isActive()
            && !(action instanceof StopStream) && !(action instanceof ExpectFailure)) {
          current.processAllAvailable();
          current.stop();
          start();
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(report(list, index, e), e);
    } finally {
      if (current != null) {
        current.stop();
      }
      deleteRecursively(checkpoint);
    }
  }

  private void start() {
    current = dataset.get().writeStream().format("memory").queryName(sinkName).outputMode(mode).trigger(trigger)
        .option("checkpointLocation", checkpoint.toString()).start();
  }

  private void perform(Action action) {
    if (action instanceof AddData a) {
      session.memoryStream(a.stream()).addData(a.rows());
    } else if (action instanceof ProcessAllAvailable) {
      active().processAllAvailable();
    } else if (action instanceof CheckAnswer c) {
      if (current.isActive()) {
        current.processAllAvailable();
      }
      List<Row> actual = session.memoryTableRows(sinkName);
      compare("the answer", c.rows(), actual);
      seenRows = actual.size();
    } else if (action instanceof CheckNewAnswer c) {
      active().processAllAvailable();
      List<Row> all = session.memoryTableRows(sinkName);
      compare("the new rows", c.rows(), all.subList(seenRows, all.size()));
      seenRows = all.size();
    } else if (action instanceof StopStream) {
      active().stop();
    } else if (action instanceof StartStream) {
      if (current != null && current.isActive()) {
        throw new AssertionError("StartStream while the query is still running; add StopStream() first");
      }
      start();
    } else if (action instanceof ExpectFailure f) {
      try {
        current.processAllAvailable();
        current.awaitTermination();
      } catch (RuntimeException e) {
        String message = allMessages(e);
        if (!message.contains(f.messagePart())) {
          throw new AssertionError("expected a failure containing '" + f.messagePart() + "' but got: " + message, e);
        }
        return;
      }
      throw new AssertionError("expected a failure containing '" + f.messagePart() + "' but the query ended cleanly");
    } else if (action instanceof AssertOnQuery a) {
      if (!a.condition().test(current)) {
        throw new AssertionError("assertion failed: " + a.description());
      }
    }
  }

  private StreamingQuery active() {
    if (current == null || !current.isActive()) {
      if (current != null && current.exception() != null) {
        throw current.exception();
      }
      throw new AssertionError("the query is not running; add StartStream() first");
    }
    return current;
  }

  private static void compare(String what, List<Row> expected, List<Row> actual) {
    List<String> e = sorted(expected);
    List<String> a = sorted(actual);
    if (!e.equals(a)) {
      List<String> missing = new ArrayList<>(e);
      a.forEach(missing::remove);
      List<String> extra = new ArrayList<>(a);
      e.forEach(extra::remove);
      throw new AssertionError(what + " differs: missing " + missing + ", unexpected " + extra);
    }
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(StreamTest::text).sorted().collect(Collectors.toList());
  }

  private static String text(Row row) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      Object v = row.get(i);
      sb.append(v instanceof Number n && !(v instanceof Double) ? Long.toString(n.longValue()) : Values.format(v));
    }
    return sb.append(']').toString();
  }

  private static String allMessages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }

  private String report(List<Action> actions, int failed, Throwable error) {
    StringBuilder sb = new StringBuilder("Stream test failed: ").append(error.getMessage()).append("\n\n");
    sb.append("== Query ==\n").append(query).append("\n\n== Actions ==\n");
    for (int i = 0; i < actions.size(); i++) {
      sb.append(i == failed ? "=> " : "   ").append(actions.get(i)).append('\n');
    }
    sb.append("\n== Sink ").append(sinkName).append(" ==\n");
    try {
      session.memoryTableRows(sinkName).forEach(r -> sb.append(r).append('\n'));
    } catch (RuntimeException e) {
      sb.append("(none)\n");
    }
    if (current != null) {
      sb.append("\n== Last progress ==\n").append(current.lastProgress());
      sb.append("\n== Exception ==\n").append(current.exception());
    }
    try {
      sb.append("\n== Plan ==\n").append(dataset.get().explain());
    } catch (RuntimeException e) {
      sb.append("\n(plan unavailable: ").append(e.getMessage()).append(")");
    }
    return sb.toString();
  }

  private static void deleteRecursively(Path root) {
    if (root == null) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /**
   * {@code SET 'parallelism' = 'n'} in {@code session} between a stop and a start: the query restarts with that many
   * partitions, taking its state along.
   */
  public static Action parallelism(FreshetSession session, int n) {
    return execute("SET 'parallelism' = '" + n + "'", q -> session.conf().set("parallelism", Integer.toString(n)));
  }

  /** Convenience for callbacks that need the query. */
  public static Action execute(String description, Consumer<StreamingQuery> step) {
    return new AssertOnQuery(description, q -> {
      step.accept(q);
      return true;
    });
  }
}
