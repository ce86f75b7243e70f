package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.engine.Checkpoint.OffsetEntry;
import io.freshet.exec.operator.Operator;
import io.freshet.exec.operator.StatefulOperator;
import io.freshet.exec.state.StateStore;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.SinkProgress;
import io.freshet.streaming.SourceProgress;
import io.freshet.streaming.StateOperatorProgress;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryException;
import io.freshet.streaming.StreamingQueryProgress;
import io.freshet.streaming.StreamingQueryStatus;
import io.freshet.streaming.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The micro-batch engine: one thread per query that repeatedly asks the sources what is new, writes the
 * offset log entry for the next batch, reads the range, pushes it through the operators into the sink, and
 * writes the commit log entry. On start it resumes from the checkpoint: a batch whose offsets were logged but
 * not committed runs again with exactly the same offsets and watermark, and the sink ignores a batch id it
 * already holds.
 */
public final class StreamExecution implements StreamingQuery {
  private static final Logger LOG = LoggerFactory.getLogger(StreamExecution.class);
  /** How long the engine waits before asking idle sources again. */
  private static final long IDLE_POLL_MS = 10;
  private static final int PROGRESS_RETAINED = 100;
  /** A trigger without new data reports progress at most this often (Spark's noDataProgressEventInterval). */
  private static final long IDLE_PROGRESS_INTERVAL_MS = 10_000;
  /** The watermark before any event time was seen. */
  public static final long NO_WATERMARK = Long.MIN_VALUE;

  private final QueryDefinition definition;
  private final BufferAllocator parentAllocator;
  private final Checkpoint checkpoint;
  private final boolean temporaryCheckpoint;
  private final UUID id;
  private final UUID runId = UUID.randomUUID();
  private final Consumer<StreamExecution> onTermination;
  private final Thread thread;

  private final Object lock = new Object();
  private volatile boolean stopRequested;
  private boolean terminated;
  private StreamingQueryException error;
  private long requestedGeneration;
  private long caughtUpGeneration;
  private StreamingQueryStatus status = new StreamingQueryStatus("Initializing sources", false, false);
  private final Deque<StreamingQueryProgress> progress = new ArrayDeque<>();
  /** Per source, what computes its watermark (null for a source without one); used by the query thread only. */
  private final List<WatermarkTracker> watermarks = new ArrayList<>();
  private Sink lateSink;
  private RunContext runContext;
  /** The state store of each stateful operator, by its index in the pipeline. */
  private final Map<Integer, StateStore> stores = new LinkedHashMap<>();
  /** What processing-time triggers follow: the definition's clock when it is a {@link ManualClock}. */
  private final java.util.function.LongSupplier triggerClock;
  private final long startedAt;
  /** When the last progress was recorded (trigger start), or Long.MIN_VALUE; used by the query thread only. */
  private long lastProgressAt = Long.MIN_VALUE;
  private final Runnable wake = () -> {
    synchronized (lock) {
      lock.notifyAll();
    }
  };

  private StreamExecution(QueryDefinition definition, BufferAllocator parentAllocator,
      Consumer<StreamExecution> onTermination) {
    this.definition = definition;
    this.parentAllocator = parentAllocator;
    this.onTermination = onTermination;
    Path location = definition.checkpointLocation();
    this.temporaryCheckpoint = location == null;
    if (location == null) {
      try {
        location = Files.createTempDirectory("freshet-checkpoint-");
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot create a temporary checkpoint directory: "
            + e.getMessage() + "; set a checkpoint location", e);
      }
    }
    this.checkpoint = new Checkpoint(location);
    this.triggerClock = definition.clock() instanceof ManualClock manual ? manual : System::currentTimeMillis;
    // Taken when the query is started, on the caller's thread: a batch job's batch times count from here.
    this.startedAt = triggerClock.getAsLong();
    if (triggerClock instanceof ManualClock manual) {
      manual.onAdvance(wake);
    }
    this.id = checkpoint.queryId();
    // A large stack (reserved, not committed) for expressions nested thousands deep, which compile recursively.
    this.thread = new Thread(null, this::run, "freshet-query-" + (definition.name() == null ? id : definition.name()),
        256L << 20);
    this.thread.setDaemon(true);
  }

  /**
   * Starts a query on its own thread. {@code onStart} runs first, on the caller's thread, before the query can
   * end; {@code onTermination} runs on the query's thread when it ends, before anyone waiting for the end wakes.
   */
  public static StreamExecution start(QueryDefinition definition, BufferAllocator allocator,
      Consumer<StreamExecution> onStart, Consumer<StreamExecution> onTermination) {
    StreamExecution execution = new StreamExecution(definition, allocator, onTermination);
    onStart.accept(execution);
    LOG.info("Starting query {} (runId {}) with checkpoint {}", execution.label(), execution.runId,
        execution.checkpoint.root());
    execution.thread.start();
    return execution;
  }

  public Path checkpointLocation() {
    return checkpoint.root();
  }

  public QueryDefinition definition() {
    return definition;
  }

  // ---------------------------------------------------------------- the query thread

  private void run() {
    List<Source> sources = new ArrayList<>();
    List<Operator> operators = new ArrayList<>();
    Sink sink = null;
    BufferAllocator allocator = null;
    RunContext context = null;
    Throwable failure = null;
    try {
      allocator = parentAllocator.newChildAllocator("query-" + (definition.name() == null ? id : definition.name()),
          0, parentAllocator.getLimit());
      context = new RunContext(allocator, id, runId, checkpoint.root());
      for (QueryDefinition.SourceBinding binding : definition.sources()) {
        sources.add(binding.factory().apply(context));
        watermarks.add(binding.watermark() == null ? null
            : new WatermarkTracker(binding.watermark(), binding.idleTimeoutMs(), definition.clock().getAsLong(),
                context.childAllocator("watermark-" + binding.name())));
      }
      if (definition.pipeline() != null) {
        operators.addAll(definition.pipeline().apply(context));
      }
      for (int i = 0; i < operators.size(); i++) {
        if (operators.get(i) instanceof StatefulOperator) {
          stores.put(i, new StateStore(checkpoint.stateDirectory(i, 0), "operator " + i + " ("
              + operators.get(i).name() + ") of query " + label(), context.childAllocator("state-" + i)));
        }
      }
      sink = definition.sink() == null ? null : definition.sink().apply(context);
      if (definition.lateSink() != null) {
        lateSink = definition.lateSink().apply(context);
      }
      runContext = context;
      loop(sources, operators, sink);
    } catch (Throwable t) {
      failure = t;
    } finally {
      if (triggerClock instanceof ManualClock manual) {
        manual.removeListener(wake);
      }
      failure = closeAll(sources, operators, sink, context, allocator, failure);
      finish(failure);
    }
  }

  private void loop(List<Source> sources, List<Operator> operators, Sink sink) {
    Map<String, String> committed = new HashMap<>();
    long watermark = NO_WATERMARK;
    long nextBatch = 0;
    OptionalLong lastLogged = checkpoint.latestOffsetBatch();
    OptionalLong lastCommit = checkpoint.latestCommitBatchFallingBack();
    long restoredVersion = lastCommit.isPresent() ? lastCommit.getAsLong() : -1;
    for (Map.Entry<Integer, StateStore> store : stores.entrySet()) {
      StatefulOperator op = (StatefulOperator) operators.get(store.getKey());
      stage("restoring the state of " + op.name(), () -> {
        op.restoreState(store.getValue(), restoredVersion);
        return null;
      });
    }
    if (lastLogged.isPresent()) {
      long n = lastLogged.getAsLong();
      OffsetEntry entry = checkpoint.offsets(n);
      if (lastCommit.isPresent() && lastCommit.getAsLong() >= n) {
        LOG.info("Resuming query {} after committed batch {}", label(), n);
        watermark = checkpoint.commit(n).watermarkMs();
        restoreSourceWatermarks(checkpoint.commit(n));
      } else {
        if (lastCommit.isPresent()) {
          restoreSourceWatermarks(checkpoint.commit(lastCommit.getAsLong()));
        }
        Map<String, String> start = n > 0 ? checkpoint.offsets(n - 1).offsets() : Map.of();
        LOG.info("Re-running uncommitted batch {} of query {}", n, label());
        watermark = runBatch(n, start, entry.offsets(), entry.watermarkMs(), sources, operators, sink,
            definition.job() != null ? entry.timestampMs() : System.currentTimeMillis());
      }
      committed.putAll(entry.offsets());
      nextBatch = n + 1;
    }

    for (int i = 0; i < sources.size(); i++) {
      String last = committed.get(definition.sources().get(i).name());
      if (last != null) {
        sources.get(i).restore(new Offset(last));
      }
    }
    boolean availableNow = definition.trigger() instanceof Trigger.AvailableNow;
    if (availableNow) {
      sources.forEach(Source::prepareForAvailableNow);
    }
    long interval = definition.trigger() instanceof Trigger.ProcessingTime p ? p.intervalMs() : 0;
    boolean job = definition.job() != null;
    long nextTrigger = job ? startedAt : triggerClock.getAsLong();
    if (job && interval > 0) {
      // Batch times are multiples of the interval: the first is the next one after the start (after the last
      // batch when the query resumes), as Spark Streaming's job generator does.
      long last = nextBatch > 0 ? checkpoint.offsets(nextBatch - 1).timestampMs() : Long.MIN_VALUE;
      nextTrigger = Math.max(nextTriggerTime(interval, nextTrigger), last == Long.MIN_VALUE ? 0 : last + interval);
    }
    // While processAllAvailable() waits, the sources are held at what was available when the first trigger after
    // the call began, so that a source that always has data still lets it return.
    boolean held = false;
    long heldFor = 0;
    while (!stopRequested) {
      long generation;
      synchronized (lock) {
        generation = requestedGeneration;
      }
      if (interval > 0 && waitUntil(nextTrigger)) {
        break;
      }
      if (!availableNow && generation > heldFor) {
        sources.forEach(Source::prepareForAvailableNow);
        held = true;
        heldFor = generation;
      }
      long triggerStart = triggerClock.getAsLong();
      long batchTime = job && interval > 0 ? nextTrigger : triggerStart;
      Map<String, String> latest = latestOffsets(sources, committed);
      boolean hasNewData = !latest.equals(committed);
      setStatus(hasNewData ? "Processing new data" : "Waiting for data to arrive", sourceStatuses(sources),
          hasNewData);
      if (hasNewData || job) {
        checkpoint.writeOffsets(new OffsetEntry(nextBatch, watermark, batchTime, latest));
        watermark = runBatch(nextBatch, committed, latest, watermark, sources, operators, sink, batchTime);
        committed = new HashMap<>(latest);
        nextBatch++;
        nextTrigger = job ? batchTime + interval : nextTriggerTime(interval, triggerStart);
        continue;
      }
      if (!job && (lastProgressAt == Long.MIN_VALUE || triggerStart - lastProgressAt >= IDLE_PROGRESS_INTERVAL_MS)) {
        recordIdleProgress(nextBatch, triggerStart, watermark, sources, committed, sink);
      }
      synchronized (lock) {
        caughtUpGeneration = Math.max(caughtUpGeneration, generation);
        lock.notifyAll();
      }
      if (held && !availableNow) {
        sources.forEach(Source::endAvailableNow);
        held = false;
      }
      if (availableNow || allExhausted(sources, committed)) {
        break;
      }
      if (interval > 0) {
        nextTrigger = nextTriggerTime(interval, triggerStart);
      } else if (waitUntil(triggerClock.getAsLong() + IDLE_POLL_MS)) {
        break;
      }
    }
  }

  /**
   * The next multiple of the interval after the start of the last trigger, as Spark's processing-time trigger
   * does: a batch that ran longer than the interval is followed at once.
   */
  private static long nextTriggerTime(long interval, long lastTriggerStart) {
    return interval <= 0 ? 0 : (lastTriggerStart / interval + 1) * interval;
  }

  private Map<String, String> latestOffsets(List<Source> sources, Map<String, String> committed) {
    Map<String, String> latest = new LinkedHashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      String name = definition.sources().get(i).name();
      Offset offset = sources.get(i).latestOffset();
      if (offset != null) {
        latest.put(name, offset.json());
      } else if (committed.containsKey(name)) {
        latest.put(name, committed.get(name));
      }
    }
    return latest;
  }

  private static List<String> sourceStatuses(List<Source> sources) {
    List<String> statuses = new ArrayList<>();
    for (Source source : sources) {
      String status = source.status();
      if (status != null) {
        statuses.add(status);
      }
    }
    return statuses;
  }

  private boolean allExhausted(List<Source> sources, Map<String, String> committed) {
    for (int i = 0; i < sources.size(); i++) {
      String offset = committed.get(definition.sources().get(i).name());
      if (!sources.get(i).isExhausted(offset == null ? null : new Offset(offset))) {
        return false;
      }
    }
    return true;
  }

  /** Waits until {@code time} by the trigger clock, or a stop; returns whether a stop was requested. */
  private boolean waitUntil(long time) {
    synchronized (lock) {
      long now;
      while (!stopRequested && (now = triggerClock.getAsLong()) < time) {
        try {
          // A manual clock wakes the thread when it moves.
          lock.wait(triggerClock instanceof ManualClock ? 0 : time - now);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
      return stopRequested;
    }
  }

  /**
   * Runs batch {@code batchId} over the offsets {@code (start, end]} with {@code watermark} in force for its rows,
   * and returns the watermark after it: the largest watermark value of its rows (never lower than before), or
   * +∞ once every source has ended, so that a bounded input closes all its windows in its last batch.
   */
  private long runBatch(long batchId, Map<String, String> start, Map<String, String> end, long watermark,
      List<Source> sources, List<Operator> operators, Sink sink, long triggerStart) {
    if (definition.job() != null) {
      runJob(batchId, start, end, sources, triggerStart);
      return watermark;
    }
    Map<String, Long> durations = new LinkedHashMap<>();
    for (Operator operator : operators) {
      operator.startBatch(watermark);
    }
    long newWatermark = watermark;
    long t0 = System.nanoTime();
    BatchWriter writer = sink.beginBatch(batchId, definition.outputMode());
    BatchWriter lateWriter = null;
    long[] outputRows = {0};
    List<SourceProgress> sourceProgress = new ArrayList<>();
    long inputRows = 0;
    long readNanos = 0;
    try {
      for (int i = 0; i < sources.size(); i++) {
        String name = definition.sources().get(i).name();
        String from = start.get(name);
        String to = end.get(name);
        long rows = 0;
        if (to != null && !to.equals(from)) {
          Source source = sources.get(i);
          int index = i;
          long[] counted = {0};
          readNanos += readSource(source, from, to, batch -> {
            try (batch) {
              counted[0] += batch.rowCount();
              if (watermarks.get(index) != null) {
                watermarks.get(index).observe(batch, definition.clock().getAsLong());
              }
              push(operators, 0, batch, writer, outputRows);
            }
          });
          rows = counted[0];
        }
        inputRows += rows;
        sourceProgress.add(new SourceProgress(sources.get(i).description(), from, to, to, rows, 0, 0,
            to != null && !to.equals(from) ? sources.get(i).metrics() : Map.of()));
      }
      newWatermark = nextWatermark(watermark, sources, end);
      for (int i = 0; i < operators.size(); i++) {
        int next = i + 1;
        Operator operator = operators.get(i);
        long closing = newWatermark;
        pushAll(stage("operator " + i + " (" + operator.name() + ")", () -> operator.finishBatch(closing)),
            out -> push(operators, next, out, writer, outputRows));
      }
      durations.put("addBatch", (System.nanoTime() - t0) / 1_000_000);
      // Reading and decoding the input (part of addBatch, as the rows stream through the operators).
      durations.put("getBatch", readNanos / 1_000_000);
      lateWriter = writeLateRows(batchId);
      CrashPoint.reached("sink-write");
      writer.commit();
      CrashPoint.reached("sink-committed");
      if (lateWriter != null) {
        lateWriter.commit();
      }
    } catch (RuntimeException | Error e) {
      writer.abort();
      if (lateWriter != null) {
        lateWriter.abort();
      }
      throw e;
    }
    long t1 = System.nanoTime();
    List<StateOperatorProgress> stateProgress = new ArrayList<>();
    for (Map.Entry<Integer, StateStore> store : stores.entrySet()) {
      StatefulOperator op = (StatefulOperator) operators.get(store.getKey());
      stage("checkpointing the state of " + op.name(), () -> {
        op.commitState(store.getValue(), batchId);
        return null;
      });
      stateProgress.add(op.progress());
    }
    Map<String, Long> sourceWatermarks = new LinkedHashMap<>();
    for (int i = 0; i < watermarks.size(); i++) {
      if (watermarks.get(i) != null) {
        sourceWatermarks.put(definition.sources().get(i).name(), watermarks.get(i).current());
      }
    }
    checkpoint.writeCommit(new Checkpoint.CommitEntry(batchId, newWatermark, sourceWatermarks));
    for (int i = 0; i < sources.size(); i++) {
      String to = end.get(definition.sources().get(i).name());
      if (to != null) {
        sources.get(i).commit(new Offset(to));
      }
    }
    durations.put("commitOffsets", (System.nanoTime() - t1) / 1_000_000);
    long total = System.currentTimeMillis() - triggerStart;
    durations.put("triggerExecution", total);
    recordProgress(batchId, triggerStart, total, inputRows, outputRows[0], watermark, durations, sourceProgress,
        stateProgress, sink);
    return newWatermark;
  }

  /**
   * Reads a source's batches of the range {@code (from, to]}, handing each to {@code each} (which owns it), and
   * closes the source's iterator whatever happens; returns the nanoseconds spent reading and decoding.
   */
  private long readSource(Source source, String from, String to, java.util.function.Consumer<Batch> each) {
    Iterator<Batch> batches = stage(source.description(),
        () -> source.read(from == null ? null : new Offset(from), new Offset(to)));
    long nanos = 0;
    try {
      while (true) {
        long r0 = System.nanoTime();
        boolean more = stage(source.description(), batches::hasNext);
        nanos += System.nanoTime() - r0;
        if (!more) {
          return nanos;
        }
        each.accept(stage(source.description(), batches::next));
      }
    } finally {
      if (batches instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("Closing the input of {}: {}", source.description(), e.toString());
        }
      }
    }
  }

  /** A batch computed by the query's {@link BatchJob}: each source's batches handed over, then the commit. */
  private void runJob(long batchId, Map<String, String> start, Map<String, String> end, List<Source> sources,
      long batchTime) {
    long t0 = System.nanoTime();
    long started = System.currentTimeMillis();
    Map<String, List<Batch>> inputs = new LinkedHashMap<>();
    List<SourceProgress> sourceProgress = new ArrayList<>();
    long inputRows = 0;
    try {
      for (int i = 0; i < sources.size(); i++) {
        String name = definition.sources().get(i).name();
        String from = start.get(name);
        String to = end.get(name);
        List<Batch> batches = new ArrayList<>();
        inputs.put(name, batches);
        long rows = 0;
        if (to != null && !to.equals(from)) {
          readSource(sources.get(i), from, to, batches::add);
          for (Batch b : batches) {
            rows += b.rowCount();
          }
        }
        inputRows += rows;
        sourceProgress.add(new SourceProgress(sources.get(i).description(), from, to, to, rows, 0, 0,
            to != null && !to.equals(from) ? sources.get(i).metrics() : Map.of()));
      }
      stage("batch " + batchId, () -> {
        try {
          definition.job().run(batchId, batchTime, inputs);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new FreshetException(FreshetException.Kind.USER, "Batch " + batchId + " failed: " + e, e);
        }
        return null;
      });
    } finally {
      inputs.values().forEach(list -> list.forEach(Batch::close));
    }
    Map<String, Long> durations = new LinkedHashMap<>();
    durations.put("addBatch", (System.nanoTime() - t0) / 1_000_000);
    checkpoint.writeCommit(new Checkpoint.CommitEntry(batchId, NO_WATERMARK, Map.of()));
    for (int i = 0; i < sources.size(); i++) {
      String to = end.get(definition.sources().get(i).name());
      if (to != null) {
        sources.get(i).commit(new Offset(to));
      }
    }
    long total = System.currentTimeMillis() - started;
    durations.put("triggerExecution", total);
    recordProgress(batchId, started, total, inputRows, 0, NO_WATERMARK, durations, sourceProgress, List.of(), null);
  }

  /** Writes the rows the operators dropped as late in this batch to the late-rows sink (null when none). */
  private BatchWriter writeLateRows(long batchId) {
    List<Batch> late = runContext.takeLateRows();
    if (lateSink == null) {
      late.forEach(Batch::close);
      return null;
    }
    BatchWriter writer = lateSink.beginBatch(batchId, io.freshet.streaming.OutputMode.APPEND);
    try {
      for (Batch b : late) {
        stage("the late-rows sink", () -> {
          writer.write(b);
          return null;
        });
      }
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    } finally {
      late.forEach(Batch::close);
    }
    return writer;
  }

  private void restoreSourceWatermarks(Checkpoint.CommitEntry commit) {
    for (int i = 0; i < watermarks.size(); i++) {
      Long saved = commit.sourceWatermarks().get(definition.sources().get(i).name());
      if (watermarks.get(i) != null && saved != null) {
        watermarks.get(i).restore(saved);
      }
    }
  }

  private long nextWatermark(long watermark, List<Source> sources, Map<String, String> end) {
    boolean allEnded = true;
    for (int i = 0; i < sources.size(); i++) {
      String offset = end.get(definition.sources().get(i).name());
      if (!sources.get(i).isExhausted(offset == null ? null : new Offset(offset))) {
        allEnded = false;
        break;
      }
    }
    if (allEnded) {
      return Long.MAX_VALUE;
    }
    long now = definition.clock().getAsLong();
    long next = Long.MAX_VALUE;
    boolean any = false;
    for (WatermarkTracker tracker : watermarks) {
      if (tracker != null && !tracker.isIdle(now)) {
        any = true;
        next = Math.min(next, tracker.current());
      }
    }
    return any ? Math.max(watermark, next) : watermark;
  }

  private void push(List<Operator> operators, int index, Batch batch, BatchWriter writer, long[] outputRows) {
    if (index == operators.size()) {
      outputRows[0] += batch.rowCount();
      stage(definition.sinkDescription() + " sink", () -> {
        writer.write(batch);
        return null;
      });
      return;
    }
    Operator operator = operators.get(index);
    pushAll(stage("operator " + index + " (" + operator.name() + ")", () -> operator.process(batch)),
        out -> push(operators, index + 1, out, writer, outputRows));
  }

  /** Hands each batch on and closes it; when one fails, the batches after it are closed too. */
  private static void pushAll(List<Batch> batches, java.util.function.Consumer<Batch> next) {
    for (int i = 0; i < batches.size(); i++) {
      try (Batch out = batches.get(i)) {
        next.accept(out);
      } catch (RuntimeException | Error e) {
        for (int j = i + 1; j < batches.size(); j++) {
          batches.get(j).close();
        }
        throw e;
      }
    }
  }

  /**
   * Runs one step of a batch; an Arrow allocation beyond the memory limit becomes an error that names the step
   * and says what to do, instead of a bare OutOfMemoryException.
   */
  private <T> T stage(String step, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (org.apache.arrow.memory.OutOfMemoryException e) {
      throw new FreshetException(FreshetException.Kind.RESOURCES, "Out of memory in " + step + " of query "
          + label() + ": " + e.getMessage() + ". The session's Arrow memory limit is "
          + parentAllocator.getLimit() + " bytes; raise it (FreshetSession.builder().memoryLimit(...)) or read "
          + "smaller batches", e);
    }
  }

  /**
   * The progress of a trigger that found no new data: reported when the run has reported nothing yet and then at
   * most every {@link #IDLE_PROGRESS_INTERVAL_MS}, as Spark does, with the id the next batch will have.
   */
  private void recordIdleProgress(long nextBatch, long triggerStart, long watermark, List<Source> sources,
      Map<String, String> committed, Sink sink) {
    List<SourceProgress> idle = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      String offset = committed.get(definition.sources().get(i).name());
      idle.add(new SourceProgress(sources.get(i).description(), offset, offset, offset, 0, 0, 0, Map.of()));
    }
    long total = Math.max(0, triggerClock.getAsLong() - triggerStart);
    Map<String, Long> durations = new LinkedHashMap<>();
    durations.put("latestOffset", total);
    durations.put("triggerExecution", total);
    recordProgress(nextBatch, triggerStart, total, 0, 0, watermark, durations, idle, List.of(), sink);
  }

  private void recordProgress(long batchId, long triggerStart, long totalMs, long inputRows, long outputRows,
      long watermark, Map<String, Long> durations, List<SourceProgress> sources,
      List<StateOperatorProgress> stateOperators, Sink sink) {
    StreamingQueryProgress previous = lastProgress();
    double sinceLast = previous == null ? totalMs / 1000.0
        : (triggerStart - Instant.parse(previous.timestamp()).toEpochMilli()) / 1000.0;
    double inputRate = sinceLast > 0 ? inputRows / sinceLast : 0;
    double processedRate = totalMs > 0 ? inputRows * 1000.0 / totalMs : 0;
    List<SourceProgress> withRates = sources.stream().map(s -> new SourceProgress(s.description(), s.startOffset(),
        s.endOffset(), s.latestOffset(), s.numInputRows(), sinceLast > 0 ? s.numInputRows() / sinceLast : 0,
        totalMs > 0 ? s.numInputRows() * 1000.0 / totalMs : 0, s.metrics())).toList();
    Map<String, String> eventTime = new LinkedHashMap<>();
    if (watermark != NO_WATERMARK && watermark != Long.MAX_VALUE) {
      eventTime.put("watermark", Instant.ofEpochMilli(watermark).toString());
    }
    StreamingQueryProgress p = new StreamingQueryProgress(id.toString(), runId.toString(), definition.name(),
        Instant.ofEpochMilli(triggerStart).toString(), batchId, totalMs, inputRows, inputRate, processedRate,
        durations, eventTime, stateOperators, withRates, new SinkProgress(sink == null ? definition.sinkDescription()
        : sink.description(), outputRows));
    lastProgressAt = triggerStart;
    synchronized (lock) {
      progress.addLast(p);
      while (progress.size() > PROGRESS_RETAINED) {
        progress.removeFirst();
      }
    }
    LOG.debug("Committed batch {} of query {}: {} rows in, {} out", batchId, label(), inputRows, outputRows);
  }

  private Throwable closeAll(List<Source> sources, List<Operator> operators, Sink sink, RunContext context,
      BufferAllocator allocator, Throwable failure) {
    List<AutoCloseable> closeables = new ArrayList<>(operators);
    if (sink != null) {
      closeables.add(sink);
    }
    if (lateSink != null) {
      closeables.add(lateSink);
    }
    closeables.addAll(sources);
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        failure = addFailure(failure, e);
      }
    }
    if (context != null) {
      RuntimeException leak = context.closeChildren();
      if (leak != null) {
        failure = addFailure(failure, leak);
      }
    }
    if (allocator != null) {
      try {
        allocator.close();
      } catch (IllegalStateException e) {
        failure = addFailure(failure, FreshetException.internal("Query " + label()
            + " leaked Arrow buffers when it stopped: " + e.getMessage(), e));
      }
    }
    return failure;
  }

  private static Throwable addFailure(Throwable failure, Throwable next) {
    if (failure == null) {
      return next;
    }
    failure.addSuppressed(next);
    return failure;
  }

  private void finish(Throwable failure) {
    StreamingQueryException failed = null;
    if (failure != null) {
      String message = "Query " + (definition.name() == null ? "" : definition.name() + " ") + "[id = " + id
          + ", runId = " + runId + "] terminated with exception: " + (failure.getMessage() != null
          ? failure.getMessage() : failure.toString());
      failed = new StreamingQueryException(definition.name(), message, failure);
      LOG.error(message, failure);
    } else {
      LOG.info("Query {} stopped", label());
    }
    if (temporaryCheckpoint && failure == null) {
      deleteRecursively(checkpoint.root());
    }
    // Leave the session's list of active queries before anyone waiting on termination wakes up.
    if (onTermination != null) {
      try {
        onTermination.accept(this);
      } catch (RuntimeException e) {
        LOG.warn("Query {} termination callback failed", label(), e);
      }
    }
    synchronized (lock) {
      error = failed;
      terminated = true;
      status = new StreamingQueryStatus("Stopped", false, false);
      lock.notifyAll();
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("Could not delete temporary checkpoint {}: {}", root, e.getMessage());
    }
  }

  private void setStatus(String message, List<String> sourceStatuses, boolean dataAvailable) {
    String text = sourceStatuses.isEmpty() ? message : message + "; " + String.join("; ", sourceStatuses);
    synchronized (lock) {
      status = new StreamingQueryStatus(text, dataAvailable, dataAvailable, sourceStatuses);
    }
  }

  // ---------------------------------------------------------------- StreamingQuery

  @Override
  public UUID id() {
    return id;
  }

  @Override
  public UUID runId() {
    return runId;
  }

  @Override
  public String name() {
    return definition.name();
  }

  @Override
  public boolean isActive() {
    synchronized (lock) {
      return !terminated;
    }
  }

  @Override
  public StreamingQueryStatus status() {
    synchronized (lock) {
      return status;
    }
  }

  @Override
  public StreamingQueryProgress lastProgress() {
    synchronized (lock) {
      return progress.peekLast();
    }
  }

  @Override
  public List<StreamingQueryProgress> recentProgress() {
    synchronized (lock) {
      return List.copyOf(progress);
    }
  }

  private void checkNotQueryThread(String method) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("Cannot call " + method + "() from the thread of query " + label()
          + " (e.g. inside foreachBatch): it would wait for itself");
    }
  }

  @Override
  public void processAllAvailable() {
    checkNotQueryThread("processAllAvailable");
    synchronized (lock) {
      long generation = ++requestedGeneration;
      while (!terminated && caughtUpGeneration < generation) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw FreshetException.user("Interrupted while waiting for query " + label(), e);
        }
      }
      throwIfFailed();
    }
  }

  @Override
  public void awaitTermination() {
    awaitTermination(Long.MAX_VALUE);
  }

  @Override
  public boolean awaitTermination(long timeoutMs) {
    checkNotQueryThread("awaitTermination");
    long deadline = timeoutMs == Long.MAX_VALUE ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMs;
    synchronized (lock) {
      while (!terminated) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          lock.wait(deadline == Long.MAX_VALUE ? 0 : left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      throwIfFailed();
      return true;
    }
  }

  private void throwIfFailed() {
    if (error != null) {
      throw error;
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      stopRequested = true;
      lock.notifyAll();
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public StreamingQueryException exception() {
    synchronized (lock) {
      return error;
    }
  }

  /** The query as messages name it: its name and id, or its id when it has no name (a SELECT's). */
  private String label() {
    return definition.name() == null ? "[id = " + id + "]" : definition.name() + " [id = " + id + "]";
  }

  @Override
  public String toString() {
    return "StreamingQuery[" + Objects.requireNonNullElse(definition.name(), "") + ", id=" + id + "]";
  }
}
