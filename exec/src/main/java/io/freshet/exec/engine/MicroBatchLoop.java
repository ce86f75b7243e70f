package io.freshet.exec.engine;

import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.exec.engine.Checkpoint.OffsetEntry;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.streaming.SourceProgress;
import io.freshet.streaming.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query thread's loop: it resumes from the checkpoint (a batch whose offsets were logged but not committed
 * runs again with exactly the same offsets and watermark), then at every trigger asks the sources what is new,
 * writes the offset log entry for the next batch and runs it, until the query is stopped, its input ends or its
 * result is complete (a LIMIT emitted its rows).
 */
final class MicroBatchLoop {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchLoop.class);
  /** How long the loop waits before asking idle sources again. */
  private static final long IDLE_POLL_MS = 10;
  /** The same under the continuous trigger, whose point is to take new data in soon. */
  private static final long CONTINUOUS_POLL_MS = 1;

  /** What the loop needs from the query handle: stop requests, waiting, and what it reports. */
  interface Control {
    boolean stopRequested();

    /** Waits until {@code time} by the trigger clock, or a stop; returns whether a stop was requested. */
    boolean waitUntil(long time);

    /**
     * Waits until {@code time} by the trigger clock, a stop, or a processAllAvailable() call not yet answered (which
     * a manual clock, which moves only when told, would otherwise keep waiting); returns whether a stop was requested.
     */
    boolean waitForWork(long time);

    /** How many times processAllAvailable() was called so far. */
    long requestedGeneration();

    /** Every source was caught up with at a trigger that began after call {@code generation}. */
    void caughtUp(long generation);

    void setStatus(String message, List<String> sourceStatuses, boolean dataAvailable);

    /** The checkpoint was checked and the query resumed from it: what it records of the query may be written. */
    void resumed();
  }

  private final QueryDefinition definition;
  private final Checkpoint checkpoint;
  private final EpochRunner runner;
  private final ProgressRecorder progress;
  private final Control control;
  private final LongSupplier triggerClock;
  private final long startedAt;
  private final String label;

  MicroBatchLoop(QueryDefinition definition, Checkpoint checkpoint, EpochRunner runner, ProgressRecorder progress,
      Control control, LongSupplier triggerClock, long startedAt, String label) {
    this.definition = definition;
    this.checkpoint = checkpoint;
    this.runner = runner;
    this.progress = progress;
    this.control = control;
    this.triggerClock = triggerClock;
    this.startedAt = startedAt;
    this.label = label;
  }

  /**
   * Where the last run left off: the next batch's id, the offsets committed, the watermark in force and the last
   * batch's processing time ({@link Long#MIN_VALUE} before the first); and whether resuming ran a batch again (the
   * one batch of the once trigger, as in Spark).
   */
  private record Position(long nextBatch, Map<String, String> committed, long watermark, long batchTime,
      boolean ranAgain) {
  }

  /**
   * Restores state and watermarks from the checkpoint and runs the batch that was logged but not committed, if
   * any, with the offsets and watermark it was logged with.
   */
  private Position resume() {
    OptionalLong lastLogged = checkpoint.latestOffsetBatch();
    OptionalLong lastCommit = checkpoint.latestCommitBatchFallingBack();
    checkpoint.checkChain(lastCommit);
    runner.checkSinkCommitted(lastCommit.isPresent() ? lastCommit.getAsLong() : -1,
        lastLogged.isPresent() ? lastLogged.getAsLong() : -1);
    runner.restoreState(lastCommit.isPresent() ? lastCommit.getAsLong() : -1);
    if (lastLogged.isEmpty()) {
      resumed();
      return new Position(0, Map.of(), StreamExecution.NO_WATERMARK, Long.MIN_VALUE, false);
    }
    long n = lastLogged.getAsLong();
    OffsetEntry entry = checkpoint.offsets(n);
    // The sources check their own files against the newest batch, and the query's record is written, before a
    // batch runs again: a start refused for a source's files commits nothing.
    eachSource(entry.offsets(), Source::check);
    resumed();
    long watermark;
    boolean ranAgain = false;
    if (lastCommit.isPresent() && lastCommit.getAsLong() >= n) {
      LOG.info("Resuming query {} after committed batch {}", label, n);
      watermark = checkpoint.commit(n).watermarkMs();
      runner.restoreSourceWatermarks(checkpoint.commit(n));
    } else {
      if (lastCommit.isPresent()) {
        runner.restoreSourceWatermarks(checkpoint.commit(lastCommit.getAsLong()));
      }
      Map<String, String> start = n > 0 ? checkpoint.offsets(n - 1).offsets() : Map.of();
      LOG.info("Re-running uncommitted batch {} of query {}", n, label);
      // At the processing time it was logged with: PROCTIME() and processing-time windows give what they gave.
      watermark = runner.runBatch(n, start, entry.offsets(), entry.watermarkMs(), entry.timestampMs(),
          System.nanoTime(), Map.of());
      // Its sources learn that it committed before they are restored to its end (which forgets what it read), as
      // under the default trigger: a file source cleans up the files it read.
      runner.awaitCheckpoint();
      ranAgain = true;
    }
    return new Position(n + 1, entry.offsets(), watermark, entry.timestampMs(), ranAgain);
  }

  /**
   * Every start check passed (the chain, the sink's, the state restore, the sources'): the sink's clean-up is
   * carried out, the sources may write their own files, and the query's record is written, before a batch runs
   * again.
   */
  private void resumed() {
    runner.settleSink();
    runner.sources().forEach(Source::resumed);
    control.resumed();
  }

  /** Calls {@code action} with each source that has an offset in {@code offsets}, and that offset. */
  private void eachSource(Map<String, String> offsets, java.util.function.BiConsumer<Source, Offset> action) {
    List<Source> sources = runner.sources();
    for (int i = 0; i < sources.size(); i++) {
      String offset = offsets.get(runner.sourceName(i));
      if (offset != null) {
        action.accept(sources.get(i), new Offset(offset));
      }
    }
  }

  void run() {
    Position resumed = resume();
    long nextBatch = resumed.nextBatch();
    Map<String, String> committed = new HashMap<>(resumed.committed());
    long watermark = resumed.watermark();
    long lastBatchTime = resumed.batchTime();
    eachSource(committed, Source::restore);
    List<Source> sources = runner.sources();
    // The once trigger is available-now in one batch: the sources hand out all they hold now in one offset.
    boolean once = definition.trigger() instanceof Trigger.Once;
    boolean availableNow = once || definition.trigger() instanceof Trigger.AvailableNow;
    if (availableNow) {
      sources.forEach(Source::prepareForAvailableNow);
    }
    if (once) {
      sources.forEach(Source::ignoreBatchLimits);
    }
    // A batch run again at the start is the once trigger's batch, as in Spark: what came since waits for the next run.
    boolean batchDone = once && resumed.ranAgain();
    long interval = definition.trigger() instanceof Trigger.ProcessingTime p ? p.intervalMs() : 0;
    boolean continuous = definition.trigger() instanceof Trigger.Continuous;
    boolean job = definition.job() != null;
    long nextTrigger = job ? startedAt : triggerClock.getAsLong();
    if (job && interval > 0) {
      // Batch times are multiples of the interval: the first is the next one after the start (after the last
      // batch when the query resumes), as Spark Streaming's job generator does.
      long last = nextBatch > 0 ? checkpoint.offsets(nextBatch - 1).timestampMs() : Long.MIN_VALUE;
      long first = definition.job().firstBatchTimeMs();
      nextTrigger = Math.max(first != Long.MIN_VALUE ? first : nextTriggerTime(interval, nextTrigger),
          last == Long.MIN_VALUE ? 0 : last + interval);
    }
    // While processAllAvailable() waits, the sources are held at what was available when the first trigger after
    // the call began, so that a source that always has data still lets it return.
    boolean held = false;
    long heldFor = 0;
    while (!control.stopRequested()) {
      // A background checkpoint that finished is followed up (its failure stops the query here, not later).
      runner.pollCheckpoint();
      if (runner.finished()) {
        // The last batch committed the rest of the result (or a restart found it complete): the query ends.
        LOG.info("Query {} has emitted its whole result (LIMIT) and ends", label);
        break;
      }
      long generation = control.requestedGeneration();
      if (interval > 0 && control.waitUntil(nextTrigger)) {
        break;
      }
      if (!availableNow && generation > heldFor) {
        sources.forEach(Source::prepareForAvailableNow);
        held = true;
        heldFor = generation;
      }
      long triggerStart = triggerClock.getAsLong();
      long triggerNanos = System.nanoTime();
      // A query's batches never go back in processing time, even if its clock does.
      long batchTime = job && interval > 0 ? nextTrigger : Math.max(triggerStart, lastBatchTime);
      Map<String, String> latest = batchDone ? committed : latestOffsets(committed);
      boolean hasNewData = !latest.equals(committed);
      control.setStatus(hasNewData ? "Processing new data" : "Waiting for data to arrive", sourceStatuses(),
          hasNewData);
      if (hasNewData || job || processingTimerDue(lastBatchTime, triggerStart)) {
        long logging = System.nanoTime();
        runner.writeOffsets(new OffsetEntry(nextBatch, watermark, batchTime, latest));
        // Spark's durations of what comes before the batch: asking the sources, writing the offset log entry.
        Map<String, Long> before = new LinkedHashMap<>();
        before.put("latestOffset", (logging - triggerNanos) / 1_000_000);
        before.put("walCommit", (System.nanoTime() - logging) / 1_000_000);
        watermark = runner.runBatch(nextBatch, committed, latest, watermark, batchTime, triggerNanos, before);
        committed = new HashMap<>(latest);
        lastBatchTime = batchTime;
        nextBatch++;
        batchDone = once;
        nextTrigger = job ? batchTime + interval : nextTriggerTime(interval, triggerStart);
        continue;
      }
      if (!job && progress.idleProgressDue(triggerStart)) {
        recordIdleProgress(nextBatch, triggerStart, watermark, committed);
      }
      // Caught up means committed too: processAllAvailable() returns with the checkpoint on disk. A source told
      // of a commit only now may have more to hand out (a batch limit counted from its commit): it is asked again.
      if (runner.awaitCheckpoint()) {
        continue;
      }
      control.caughtUp(generation);
      if (held && !availableNow) {
        sources.forEach(Source::endAvailableNow);
        held = false;
      }
      if (availableNow || runner.allExhausted(committed)) {
        break;
      }
      if (interval > 0) {
        nextTrigger = nextTriggerTime(interval, triggerStart);
      } else if (control.waitForWork(triggerClock.getAsLong() + (continuous ? CONTINUOUS_POLL_MS : IDLE_POLL_MS))) {
        break;
      }
    }
    // A stop, the end of the input or of the result: the last checkpoint is on disk before the query ends.
    runner.awaitCheckpoint();
  }

  /**
   * Whether a batch without new data is due at {@code now} because a processing-time window of the plan ends
   * after the last batch's time and not after {@code now}: it closes the windows while the input is idle.
   */
  private boolean processingTimerDue(long lastBatchTime, long now) {
    StreamPlan plan = definition.plan();
    return plan != null && plan.usesProcessingTime() && lastBatchTime != Long.MIN_VALUE
        && plan.nextProcessingTimer(lastBatchTime) <= now;
  }

  /**
   * The next multiple of the interval after the start of the last trigger, as Spark's processing-time trigger
   * does: a batch that ran longer than the interval is followed at once.
   */
  private static long nextTriggerTime(long interval, long lastTriggerStart) {
    return interval <= 0 ? 0 : (lastTriggerStart / interval + 1) * interval;
  }

  private Map<String, String> latestOffsets(Map<String, String> committed) {
    Map<String, String> latest = new LinkedHashMap<>();
    List<Source> sources = runner.sources();
    for (int i = 0; i < sources.size(); i++) {
      String name = runner.sourceName(i);
      Offset offset = sources.get(i).latestOffset();
      if (offset != null) {
        latest.put(name, offset.json());
      } else if (committed.containsKey(name)) {
        latest.put(name, committed.get(name));
      }
    }
    return latest;
  }

  private List<String> sourceStatuses() {
    List<String> statuses = new ArrayList<>();
    for (Source source : runner.sources()) {
      String status = source.status();
      if (status != null) {
        statuses.add(status);
      }
    }
    return statuses;
  }

  private void recordIdleProgress(long nextBatch, long triggerStart, long watermark, Map<String, String> committed) {
    List<SourceProgress> idle = new ArrayList<>();
    List<Source> sources = runner.sources();
    for (int i = 0; i < sources.size(); i++) {
      String offset = committed.get(runner.sourceName(i));
      idle.add(new SourceProgress(sources.get(i).description(), offset, offset, offset, 0, 0, 0, Map.of()));
    }
    long total = Math.max(0, triggerClock.getAsLong() - triggerStart);
    progress.recordIdle(nextBatch, triggerStart, total, watermark, idle, runner.sinkDescription());
  }
}
