package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.Row;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.StreamingQueryListener;
import io.freshet.streaming.StreamingQueryListener.Event;
import io.freshet.streaming.StreamingQueryListener.QueryIdleEvent;
import io.freshet.streaming.StreamingQueryListener.QueryProgressEvent;
import io.freshet.streaming.StreamingQueryListener.QueryStartedEvent;
import io.freshet.streaming.StreamingQueryListener.QueryTerminatedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link StreamingQueryListener} events and the {@link StreamingQueryManager}, as in Spark. */
class StreamingQueryListenerTest {
  private FreshetSession session;
  private final Recorder events = new Recorder();

  /** Keeps every event, with the thread it came on. */
  private static class Recorder extends StreamingQueryListener {
    private final List<Event> events = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
      add(event);
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      add(event);
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
      add(event);
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
      add(event);
    }

    private synchronized void add(Event event) {
      events.add(event);
      threads.add(Thread.currentThread());
      notifyAll();
    }

    /** Waits (at most 10 s) for an event that {@code test} accepts, and returns every event so far. */
    synchronized List<Event> awaitEvent(Predicate<Event> test) throws InterruptedException {
      long deadline = System.currentTimeMillis() + 10_000;
      while (events.stream().noneMatch(test)) {
        long left = deadline - System.currentTimeMillis();
        assertTrue(left > 0, "no such event among " + events);
        wait(left);
      }
      return List.copyOf(events);
    }

    synchronized List<Event> snapshot() {
      return List.copyOf(events);
    }

    synchronized List<Thread> threads() {
      return List.copyOf(threads);
    }
  }

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().master("local[2]").appName("listener-test").create();
    session.streams().addListener(events);
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** The events with the idle ones left out, as "started", "progress N", "idle" and "terminated[: message]". */
  private static List<String> describe(List<Event> events, UUID runId) {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      if (e instanceof QueryStartedEvent s && s.runId().equals(runId)) {
        out.add("started");
      } else if (e instanceof QueryProgressEvent p && p.progress().runId().equals(runId.toString())) {
        out.add("progress " + p.progress().batchId());
      } else if (e instanceof QueryIdleEvent i && i.runId().equals(runId)) {
        out.add("idle");
      } else if (e instanceof QueryTerminatedEvent t && t.runId().equals(runId)) {
        out.add(t.exception() == null ? "terminated" : "terminated: " + t.exception());
      }
    }
    return out;
  }

  @Test
  void theIdleProgressIntervalIsASetting() throws Exception {
    assertThrows(FreshetException.class, () -> session.sql("SET 'progress.idle-interval' = 'soon'"));
    session.sql("SET 'progress.idle-interval' = '20 ms'");
    session.sql("CREATE STREAM quiet (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery query = session.sql("SELECT v FROM quiet").writeStream().format("memory").queryName("quiet_v")
        .trigger(io.freshet.streaming.Trigger.ProcessingTime(5)).start();
    try {
      // Three idle reports come within the wait's 10 s only if they come every 20 ms, not every 10 s.
      for (int n = 1; n <= 3; n++) {
        int count = n;
        events.awaitEvent(e -> events.snapshot().stream().filter(x -> x instanceof QueryIdleEvent i
            && i.runId().equals(query.runId())).count() >= count);
      }
    } finally {
      query.stop();
    }
  }

  private static Predicate<Event> terminated(StreamingQuery query) {
    return e -> e instanceof QueryTerminatedEvent t && t.runId().equals(query.runId());
  }

  @Test
  void aBoundedQueryGivesStartedThenAProgressPerBatchThenTerminatedEvenWhenTheSessionClosesAtOnce() throws Exception {
    session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '5000', "
        + "'max-events-per-batch' = '2000', 'base-time' = '2026-01-01 00:00:00')");
    StreamingQuery query = session.sql("SELECT auction FROM bids").writeStream().format("memory")
        .queryName("bid_auctions").start();
    session.streams().awaitAnyTermination();
    // Closing the session at once still delivers every event of the query.
    session.close();
    List<Event> all = events.snapshot();
    assertEquals(List.of("started", "progress 0", "progress 1", "progress 2", "terminated"),
        describe(all, query.runId()));
    QueryStartedEvent started = (QueryStartedEvent) all.get(0);
    assertEquals(query.id(), started.id());
    assertEquals("bid_auctions", started.name());
    assertTrue(started.timestamp().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), started.timestamp());
    // The progress events are the query's progress reports, and came on the listener thread, not the query's.
    List<Object> reported = new ArrayList<>();
    all.stream().filter(e -> e instanceof QueryProgressEvent).forEach(e -> reported.add(((QueryProgressEvent) e)
        .progress()));
    assertEquals(query.recentProgress(), reported);
    assertTrue(events.threads().stream().allMatch(t -> t.getName().startsWith("freshet-listener-bus-")),
        events.threads().toString());
  }

  @Test
  void anUnboundedQueryIsIdleWithoutDataAndStopGivesTerminatedWithoutError() throws Exception {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("vs").start();
    // No data: the first trigger gives an idle event, not a progress event.
    List<Event> first = events.awaitEvent(e -> e instanceof QueryIdleEvent);
    assertEquals(List.of("started", "idle"), describe(first, query.runId()));
    QueryIdleEvent idle = (QueryIdleEvent) first.get(1);
    assertEquals(query.id(), idle.id());
    session.memoryStream("s").addData(Row.of(1L), Row.of(2L));
    query.processAllAvailable();
    session.memoryStream("s").addData(Row.of(3L));
    query.processAllAvailable();
    query.stop();
    List<String> seen = describe(events.awaitEvent(terminated(query)), query.runId());
    // Another idle event may come in between when a trigger after a batch is more than 10 s late; none comes after
    // the terminated one.
    seen.removeIf(s -> s.equals("idle"));
    assertEquals(List.of("started", "progress 0", "progress 1", "terminated"), seen);
  }

  @Test
  void aFailingQueryEndsWithTerminatedCarryingItsError() throws Exception {
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("s").addData(Row.of(1L));
    StreamingQuery query = session.sql("SELECT v FROM s").writeStream().foreachBatch((rows, id) -> {
      throw new IllegalStateException("downstream is full");
    }).start();
    assertThrows(StreamingQueryException.class, query::awaitTermination);
    List<String> seen = describe(events.awaitEvent(terminated(query)), query.runId());
    assertEquals(2, seen.size(), seen.toString());
    assertEquals("started", seen.get(0));
    assertTrue(seen.get(1).startsWith("terminated: ") && seen.get(1).contains("downstream is full"), seen.get(1));
    assertEquals("terminated: " + query.exception().getMessage(), seen.get(1));
  }

  @Test
  void aFailingListenerStillHearsTheNextEventsAndARemovedOneHearsNothingMore() throws Exception {
    Recorder failing = new Recorder() {
      @Override
      public void onQueryStarted(QueryStartedEvent event) {
        throw new IllegalStateException("listener bug");
      }
    };
    session.streams().addListener(failing);
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery first = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("a").start();
    first.stop();
    List<String> seen = describe(failing.awaitEvent(terminated(first)), first.runId());
    assertFalse(seen.contains("started"), seen.toString());
    assertEquals("terminated", seen.get(seen.size() - 1));
    assertEquals("started", describe(events.awaitEvent(terminated(first)), first.runId()).get(0));

    session.streams().removeListener(events);
    StreamingQuery second = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("b").start();
    second.stop();
    failing.awaitEvent(terminated(second));
    assertTrue(describe(events.awaitEvent(e -> true), second.runId()).isEmpty());
  }

  @Test
  void awaitAnyTerminationWaitsForAQueryToEndUntilReset() {
    StreamingQueryManager streams = session.streams();
    session.sql("CREATE STREAM s (v BIGINT) WITH ('connector' = 'memory')");
    StreamingQuery a = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("a").start();
    StreamingQuery b = session.sql("SELECT v FROM s").writeStream().format("memory").queryName("b").start();
    assertEquals(2, streams.active().size());
    assertSame(a, streams.get(a.id()));
    assertSame(b, streams.get(b.id().toString()));
    assertFalse(streams.awaitAnyTermination(50));

    a.stop();
    assertTrue(streams.awaitAnyTermination(50));
    streams.awaitAnyTermination();
    assertEquals(List.of(b), streams.active());
    assertNull(streams.get(a.id()));
    streams.resetTerminated();
    assertFalse(streams.awaitAnyTermination(50));

    // A query that fails: awaitAnyTermination throws its error, until reset.
    session.sql("CREATE STREAM t (v BIGINT) WITH ('connector' = 'memory')");
    session.memoryStream("t").addData(Row.of(1L));
    StreamingQuery failing = session.sql("SELECT v FROM t").writeStream().foreachBatch((rows, id) -> {
      throw new IllegalStateException("downstream is full");
    }).start();
    StreamingQueryException error = assertThrows(StreamingQueryException.class, streams::awaitAnyTermination);
    assertSame(failing.exception(), error);
    // The error stays as another query ends without one.
    b.stop();
    assertThrows(StreamingQueryException.class, () -> streams.awaitAnyTermination(50));
    streams.resetTerminated();
    assertFalse(streams.awaitAnyTermination(50));
    assertTrue(streams.active().isEmpty());
  }
}
