package io.freshet.exec.engine;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.ChangelogMode;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.SourceProgress;
import io.freshet.streaming.StateOperatorProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One run of a query (from a start to a stop) and how it runs one batch: it opens the sources, the plan's
 * operators and the sink with the run's resources, runs batch N over the offsets {@code (start, end]} with the
 * watermark in force, commits the sink, the state and the commit log entry, and closes everything at the end.
 */
final class EpochRunner {
  private final QueryDefinition definition;
  private final RunContext context;
  private final Checkpoint checkpoint;
  private final Stage stage;
  private final ProgressRecorder progress;
  private final List<Source> sources = new ArrayList<>();
  /** Per source (as the definition lists them): its id in the plan, and what computes its watermark or null. */
  private final int[] planIds;
  private final List<WatermarkTracker> watermarks = new ArrayList<>();
  /** The plan's partitions, each run by its own thread, and the exchange between them. */
  private Pipeline[] pipelines = new Pipeline[0];
  private Exchange exchange;
  private PartitionThreads threads;
  /**
   * Commits still to come before the directories of the previous number of partitions go (0: none to remove):
   * two after a restore from them, so that the previous version can always still be restored.
   */
  private int commitsBeforeRemovingOldLayout;
  private Sink sink;
  private Sink lateSink;
  /**
   * Per partition, the rows its operators dropped as late in this batch (only that partition's thread adds to its
   * list), written to the late-rows sink in partition order so that a batch run again writes them alike.
   */
  private final List<List<Batch>> lateRows = new ArrayList<>();
  /** Hands the sources' batches to the partitions. */
  private PartitionFeeder feeder;
  /** Where a changelog result is split into upserts and deletes for the sink; null for an insert-only result. */
  private BufferAllocator changelogAllocator;
  /** Writes checkpoints in the background (the continuous trigger); null: each batch writes its own at its end. */
  private CheckpointWriter checkpointWriter;

  EpochRunner(QueryDefinition definition, RunContext context, Checkpoint checkpoint, Stage stage,
      ProgressRecorder progress) {
    this.definition = definition;
    this.context = context;
    this.checkpoint = checkpoint;
    this.stage = stage;
    this.progress = progress;
    this.planIds = new int[definition.sources().size()];
  }

  /** Opens the sources, the operators and the sinks; on failure, {@link #close} releases what was opened. */
  void open() {
    StreamPlan plan = definition.plan();
    for (int i = 0; i < definition.sources().size(); i++) {
      QueryDefinition.SourceBinding binding = definition.sources().get(i);
      sources.add(binding.factory().apply(context));
      SourceSpec spec = plan == null ? null : plan.sources().stream().filter(s -> s.name().equals(binding.name()))
          .findFirst().orElseThrow();
      planIds[i] = spec == null ? -1 : spec.id();
      watermarks.add(spec == null || spec.watermark() == null ? null
          : new WatermarkTracker(spec.watermark(), spec.idleTimeoutMs(), definition.clock().getAsLong(),
              context.childAllocator("watermark-" + binding.name())));
    }
    if (plan != null) {
      int partitions = definition.parallelism();
      exchange = new Exchange(plan, partitions);
      threads = new PartitionThreads(partitions, definition.name() == null ? context.queryId().toString()
          : definition.name());
      pipelines = new Pipeline[partitions];
      for (int p = 0; p < partitions; p++) {
        List<Batch> late = new ArrayList<>();
        lateRows.add(late);
        pipelines[p] = new Pipeline(plan, p, exchange, context, checkpoint, definition.stateStore(),
            definition.lateSink() == null ? null : late::add, stage, definition.sinkDescription());
      }
      feeder = new PartitionFeeder(pipelines, threads, stage, watermarks, context, definition.clock());
      if (plan.changelogMode() == ChangelogMode.RETRACT) {
        changelogAllocator = context.childAllocator("changelog");
      }
    }
    if (plan != null && definition.trigger() instanceof io.freshet.streaming.Trigger.Continuous) {
      checkpointWriter = new CheckpointWriter(definition.name() == null ? context.queryId().toString()
          : definition.name());
    }
    sink = definition.sink() == null ? null : definition.sink().apply(context);
    if (definition.lateSink() != null) {
      lateSink = definition.lateSink().apply(context);
    }
  }

  List<Source> sources() {
    return sources;
  }

  /** The name that keys source {@code i}'s offsets in the checkpoint. */
  String sourceName(int i) {
    return definition.sources().get(i).name();
  }

  String sinkDescription() {
    return sink == null ? definition.sinkDescription() : sink.description();
  }

  /** Checks that the sink and the checkpoint agree on what committed ({@link Sink#checkCommitted}). */
  void checkSinkCommitted(long lastCommitted, long lastPlanned) {
    if (sink != null) {
      sink.checkCommitted(lastCommitted, lastPlanned);
    }
  }

  /** Carries out the sink's clean-up once every start check passed ({@link Sink#settle}). */
  void settleSink() {
    if (sink != null) {
      sink.settle();
    }
  }

  /** Restores the operators' state after batch {@code version} (none when {@code version < 0}). */
  void restoreState(long version) {
    for (Pipeline pipeline : pipelines) {
      if (pipeline.restoreState(checkpoint, version)) {
        commitsBeforeRemovingOldLayout = 2;
      }
    }
  }

  /** Restores each source's watermark as the commit entry recorded it. */
  void restoreSourceWatermarks(Checkpoint.CommitEntry commit) {
    for (int i = 0; i < watermarks.size(); i++) {
      Long saved = commit.sourceWatermarks().get(sourceName(i));
      if (watermarks.get(i) != null && saved != null) {
        watermarks.get(i).restore(saved);
      }
    }
  }

  /**
   * Runs batch {@code batchId} over the offsets {@code (start, end]} with {@code watermark} in force for its rows,
   * at processing time {@code batchTime} (the time its offset log entry records), and returns the watermark after
   * it: the largest watermark value of its rows (never lower than before), or +∞ once every source has ended, so
   * that a bounded input closes all its windows in its last batch (processing-time windows too). The trigger
   * began at {@code triggerNanos} ({@link System#nanoTime}), which {@code triggerExecution} counts from, and
   * {@code before} holds the durations of what it did before the batch.
   */
  long runBatch(long batchId, Map<String, String> start, Map<String, String> end, long watermark,
      long batchTime, long triggerNanos, Map<String, Long> before) {
    if (definition.job() != null) {
      runJob(batchId, start, end, batchTime);
      return watermark;
    }
    Map<String, Long> durations = new LinkedHashMap<>(before);
    long newWatermark;
    long t0 = System.nanoTime();
    BatchWriter sinkWriter = sink.beginBatch(batchId, definition.outputMode());
    BatchWriter writer = changelogAllocator == null ? sinkWriter
        : new UpsertWriter(sinkWriter, definition.plan().upsertKey(), changelogAllocator);
    BatchWriter lateWriter = null;
    List<SourceProgress> sourceProgress = new ArrayList<>();
    long inputRows = 0;
    long readNanos = 0;
    long outputRows = 0;
    long[] nodeRows = new long[definition.plan().size()];
    try {
      for (Pipeline pipeline : pipelines) {
        pipeline.startBatch(watermark, batchTime, writer);
      }
      String sinkLabel = definition.sinkDescription() + " sink";
      feeder.startBatch(b -> stage.run(sinkLabel, () -> writer.write(b)));
      for (int i = 0; i < sources.size(); i++) {
        String from = start.get(sourceName(i));
        String to = end.get(sourceName(i));
        long rows = 0;
        if (to != null && !to.equals(from)) {
          long[] read = feeder.read(i, sources.get(i), planIds[i], from == null ? null : new Offset(from),
              new Offset(to), watermarks.get(i));
          rows = read[0];
          readNanos += read[1];
        }
        inputRows += rows;
        sourceProgress.add(new SourceProgress(sources.get(i).description(), from, to, to, rows, 0, 0,
            to != null && !to.equals(from) ? sources.get(i).metrics() : Map.of()));
      }
      feeder.awaitAll();
      newWatermark = nextWatermark(watermark, end);
      long closeTime = newWatermark == Long.MAX_VALUE ? Long.MAX_VALUE : batchTime;
      int lastStage = pipelines[0].lastStage();
      for (int s = 0; s <= lastStage; s++) {
        int runStage = s;
        threads.runAll(pipelines.length, p -> pipelines[p].runStage(runStage, newWatermark, closeTime));
      }
      List<Pipeline.Output> outputs = new ArrayList<>();
      for (Pipeline pipeline : pipelines) {
        outputRows += pipeline.outputRows();
        outputs.addAll(pipeline.takeOutputs());
        long[] rows = pipeline.nodeRows();
        for (int id = 0; id < rows.length; id++) {
          nodeRows[id] += rows[id];
        }
      }
      // With several partitions the root's rows were kept: written here in the order of the source batches they
      // came from, then what the stages emitted, by partition (the sort is stable).
      outputs.sort(java.util.Comparator.comparingLong(Pipeline.Output::sequence));
      Pipeline.forEachClosing(outputs.stream().map(Pipeline.Output::batch).toList(),
          b -> stage.run(sinkLabel, () -> writer.write(b)));
      durations.put("addBatch", (System.nanoTime() - t0) / 1_000_000);
      // Reading and decoding the input (part of addBatch, as the rows stream through the operators).
      durations.put("getBatch", readNanos / 1_000_000);
      lateWriter = writeLateRows(batchId);
      if (checkpointWriter != null) {
        // The batch's offsets (and the previous batch's checkpoint) are on disk before its output is visible.
        long waiting = System.nanoTime();
        checkpointWriter.awaitDurable();
        durations.put("checkpointWait", (System.nanoTime() - waiting) / 1_000_000);
      }
      CrashPoint.reached("sink-write");
      writer.commit();
      CrashPoint.reached("sink-committed");
      if (lateWriter != null) {
        lateWriter.commit();
      }
    } catch (RuntimeException | Error e) {
      feeder.abandon(e);
      exchange.clear();
      writer.abort();
      if (lateWriter != null) {
        lateWriter.abort();
      }
      throw e;
    }
    long t1 = System.nanoTime();
    List<List<StateOperatorProgress>> partitionProgress = new ArrayList<>();
    List<List<Runnable>> stateWrites = new ArrayList<>();
    for (int p = 0; p < pipelines.length; p++) {
      partitionProgress.add(null);
      stateWrites.add(checkpointWriter == null ? null : new ArrayList<>());
    }
    threads.runAll(pipelines.length, p -> partitionProgress.set(p,
        pipelines[p].commitState(batchId, stateWrites.get(p))));
    Map<String, Long> sourceWatermarks = new LinkedHashMap<>();
    for (int i = 0; i < watermarks.size(); i++) {
      if (watermarks.get(i) != null) {
        sourceWatermarks.put(sourceName(i), watermarks.get(i).current());
      }
    }
    Checkpoint.CommitEntry entry = new Checkpoint.CommitEntry(batchId, newWatermark, sourceWatermarks);
    boolean removeOldLayout = commitsBeforeRemovingOldLayout > 0 && --commitsBeforeRemovingOldLayout == 0;
    if (checkpointWriter == null) {
      checkpoint.writeCommit(entry);
      finishCommit(removeOldLayout, end);
    } else {
      // The state files are encoded (the next batch's changes cannot reach them); written, forced to disk and
      // then committed in the background, in that order, while the next batch runs. This batch waited for the
      // writes before it (at its sink commit), so whether this version is a snapshot was decided from the disk.
      checkpointWriter.submit("the checkpoint of batch " + batchId + " (its state files and commit entry)", () -> {
        // Every state file at once (each node's and partition's is of its own): they wait on the disk together.
        checkpointWriter.writeAll(stateWrites.stream().flatMap(List::stream).toList());
        CrashPoint.reached("async-state-written");
        checkpoint.writeCommit(entry);
      }, () -> finishCommit(removeOldLayout, end));
    }
    durations.put("commitOffsets", (System.nanoTime() - t1) / 1_000_000);
    long total = (System.nanoTime() - triggerNanos) / 1_000_000;
    durations.put("triggerExecution", total);
    progress.record(new ProgressRecorder.BatchFigures(batchId, batchTime, total, inputRows, outputRows,
        watermark, durations, sourceProgress, combine(partitionProgress), sinkDescription()));
    progress.recordNodeRows(nodeRows);
    return newWatermark;
  }

  /** Each stateful node's figures, summed over the partitions. */
  private static List<StateOperatorProgress> combine(List<List<StateOperatorProgress>> partitions) {
    List<StateOperatorProgress> combined = new ArrayList<>(partitions.get(0));
    for (int p = 1; p < partitions.size(); p++) {
      List<StateOperatorProgress> next = partitions.get(p);
      for (int i = 0; i < combined.size(); i++) {
        StateOperatorProgress a = combined.get(i);
        StateOperatorProgress b = next.get(i);
        Map<String, Long> metrics = new java.util.TreeMap<>(a.customMetrics());
        b.customMetrics().forEach((name, value) -> metrics.merge(name, value, Long::sum));
        combined.set(i, new StateOperatorProgress(a.operatorName(), a.numRowsTotal() + b.numRowsTotal(),
            a.numRowsUpdated() + b.numRowsUpdated(), a.memoryUsedBytes() + b.memoryUsedBytes(),
            a.numRowsDroppedByWatermark() + b.numRowsDroppedByWatermark(), metrics));
      }
    }
    return combined;
  }

  /**
   * What follows a batch's commit log entry on disk: the sources learn that the offsets {@code end} committed, then
   * the directories of the previous number of partitions go when {@code removeOldLayout} (in the order the default
   * trigger always did this).
   */
  private void finishCommit(boolean removeOldLayout, Map<String, String> end) {
    commitSources(end);
    if (removeOldLayout) {
      for (PlanNode node : definition.plan().nodes()) {
        if (node.factory().stateful()) {
          StateLayout.removeOtherLayouts(checkpoint, node.id(), pipelines.length);
        }
      }
    }
  }

  /**
   * Writes the offset log entry of the next batch: at once, or under the continuous trigger in the background
   * after the previous batch's checkpoint, while the batch runs (it waits for it before its sink commits).
   */
  void writeOffsets(Checkpoint.OffsetEntry entry) {
    if (checkpointWriter == null) {
      checkpoint.writeOffsets(entry);
    } else {
      checkpointWriter.submit("the offset log entry of batch " + entry.batchId(),
          () -> checkpoint.writeOffsets(entry), null);
    }
  }

  /** Finishes a background checkpoint that is written already (failing when it failed); never waits. */
  void pollCheckpoint() {
    if (checkpointWriter != null) {
      checkpointWriter.pollDurable();
    }
  }

  /**
   * Waits for the background checkpoint in flight, if any (failing when it failed); returns whether there was one
   * (its sources were told of its commit just now).
   */
  boolean awaitCheckpoint() {
    return checkpointWriter != null && checkpointWriter.awaitDurable();
  }

  /** Writes the commit log entry of a batch whose output and state are committed, and tells the sources. */
  private void commit(long batchId, long watermark, Map<String, Long> sourceWatermarks, Map<String, String> end) {
    checkpoint.writeCommit(new Checkpoint.CommitEntry(batchId, watermark, sourceWatermarks));
    commitSources(end);
  }

  /** Tells the sources that the offsets {@code end} committed. */
  private void commitSources(Map<String, String> end) {
    for (int i = 0; i < sources.size(); i++) {
      String to = end.get(sourceName(i));
      if (to != null) {
        sources.get(i).commit(new Offset(to));
      }
    }
  }

  /** A batch computed by the query's {@link BatchJob}: each source's batches handed over, then the commit. */
  private void runJob(long batchId, Map<String, String> start, Map<String, String> end, long batchTime) {
    long t0 = System.nanoTime();
    long started = System.currentTimeMillis();
    Map<String, List<Batch>> inputs = new LinkedHashMap<>();
    List<SourceProgress> sourceProgress = new ArrayList<>();
    long inputRows = 0;
    try {
      for (int i = 0; i < sources.size(); i++) {
        String from = start.get(sourceName(i));
        String to = end.get(sourceName(i));
        List<Batch> batches = new ArrayList<>();
        inputs.put(sourceName(i), batches);
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
      stage.run("batch " + batchId, () -> {
        try {
          definition.job().run(batchId, batchTime, inputs);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new FreshetException(FreshetException.Kind.USER, "Batch " + batchId + " failed: " + e, e);
        }
      });
    } finally {
      inputs.values().forEach(list -> list.forEach(Batch::close));
    }
    Map<String, Long> durations = new LinkedHashMap<>();
    durations.put("addBatch", (System.nanoTime() - t0) / 1_000_000);
    commit(batchId, StreamExecution.NO_WATERMARK, Map.of(), end);
    long total = System.currentTimeMillis() - started;
    durations.put("triggerExecution", total);
    progress.record(new ProgressRecorder.BatchFigures(batchId, started, total, inputRows, 0,
        StreamExecution.NO_WATERMARK, durations, sourceProgress, List.of(), sinkDescription()));
  }

  /**
   * Reads a source's batches of the range {@code (from, to]}, handing each to {@code each} (which owns it), and
   * closes the source's iterator whatever happens; returns the nanoseconds spent reading and decoding.
   */
  private long readSource(Source source, String from, String to, Consumer<Batch> each) {
    return PartitionFeeder.readAll(stage, source, stage.run(source.description(),
        () -> source.read(from == null ? null : new Offset(from), new Offset(to))), each);
  }

  /** Writes the rows the operators dropped as late in this batch to the late-rows sink (null when none). */
  private BatchWriter writeLateRows(long batchId) {
    List<Batch> late = new ArrayList<>();
    for (List<Batch> partition : lateRows) {
      late.addAll(partition);
      partition.clear();
    }
    if (lateSink == null) {
      late.forEach(Batch::close);
      return null;
    }
    BatchWriter writer = lateSink.beginBatch(batchId, OutputMode.APPEND);
    try {
      for (Batch b : late) {
        stage.run("the late-rows sink", () -> writer.write(b));
      }
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    } finally {
      late.forEach(Batch::close);
    }
    return writer;
  }

  /** The query's watermark after a batch that read up to {@code end}: the minimum over its active inputs. */
  private long nextWatermark(long watermark, Map<String, String> end) {
    if (allExhausted(end)) {
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

  /**
   * Whether the query's result is complete though its sources go on (a LIMIT emitted its rows): checked between
   * batches, when no partition's thread is running.
   */
  boolean finished() {
    for (Pipeline pipeline : pipelines) {
      if (pipeline.finished()) {
        return true;
      }
    }
    return false;
  }

  /** Whether every source has ended at the offsets {@code at}. */
  boolean allExhausted(Map<String, String> at) {
    for (int i = 0; i < sources.size(); i++) {
      String offset = at.get(sourceName(i));
      if (!sources.get(i).isExhausted(offset == null ? null : new Offset(offset))) {
        return false;
      }
    }
    return true;
  }

  /** Closes the operators, sinks and sources and the run's allocators; returns {@code failure} with what failed. */
  Throwable close(Throwable failure) {
    List<AutoCloseable> closeables = new ArrayList<>();
    if (checkpointWriter != null) {
      // A checkpoint in flight is finished (its failure reported), whatever stopped the query.
      closeables.add(() -> {
        try {
          checkpointWriter.awaitDurable();
        } finally {
          checkpointWriter.close();
        }
      });
    }
    if (threads != null) {
      closeables.add(threads);
    }
    if (exchange != null) {
      closeables.add(exchange::clear);
    }
    for (Pipeline pipeline : pipelines) {
      if (pipeline != null) {
        closeables.add(pipeline);
      }
    }
    if (sink != null) {
      closeables.add(sink);
    }
    if (lateSink != null) {
      closeables.add(lateSink);
    }
    closeables.addAll(sources);
    closeables.add(() -> lateRows.forEach(partition -> partition.forEach(Batch::close)));
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        failure = addFailure(failure, e);
      }
    }
    RuntimeException leak = context.closeChildren();
    if (leak != null) {
      failure = addFailure(failure, leak);
    }
    return failure;
  }

  static Throwable addFailure(Throwable failure, Throwable next) {
    if (failure == null) {
      return next;
    }
    failure.addSuppressed(next);
    return failure;
  }
}
