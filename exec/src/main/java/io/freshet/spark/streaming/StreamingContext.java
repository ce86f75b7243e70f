package io.freshet.spark.streaming;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.spark.SparkConf;
import io.freshet.spark.api.java.JavaSparkContext;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.dstream.DStream;
import io.freshet.spark.streaming.dstream.DStreamCheckpoint;
import io.freshet.spark.streaming.dstream.ForEachDStream;
import io.freshet.spark.streaming.dstream.ReceiverInputDStream;
import io.freshet.spark.streaming.dstream.StateClasses;
import io.freshet.spark.streaming.scheduler.BatchInfo;
import io.freshet.spark.streaming.scheduler.StreamingListener;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchStarted;
import io.freshet.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.freshet.spark.streaming.scheduler.StreamingListenerStreamingStarted;
import io.freshet.exec.engine.CheckpointLock;
import io.freshet.exec.engine.QueryDefinition;
import io.freshet.exec.engine.StreamExecution;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DStream program and its run: the graph of input and output streams, and a query of Freshet's micro-batch
 * engine that runs one batch per batch interval (with a processing-time trigger, a batch at every tick even
 * without new data), keeps the batches in the offset and commit logs of the checkpoint, and on each batch runs
 * the output operations one at a time, in the order they were defined. The lifecycle rules and their messages
 * are Spark's: no new operations after start, no start after stop, one active context per JVM.
 */
public class StreamingContext {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingContext.class);
  private static final AtomicReference<StreamingContext> ACTIVE = new AtomicReference<>();
  private static final Object ACTIVATION_LOCK = new Object();

  private final SparkConf conf;
  private final Duration batchDuration;
  private final JavaSparkContext sparkContext;
  private final LongSupplier clock;
  private final List<DStream<?>> inputs = new ArrayList<>();
  private final List<io.freshet.spark.streaming.dstream.SourceInputDStream<?>> sourceInputs =
      new ArrayList<>();
  private int inputIds;
  private final List<ForEachDStream<?>> outputs = new ArrayList<>();
  private final List<StreamingListener> listeners = new CopyOnWriteArrayList<>();
  private volatile StreamingContextState state = StreamingContextState.INITIALIZED;
  private String checkpointDirectory;
  private Duration rememberDuration;
  private StreamExecution execution;
  private BufferAllocator allocator;
  private String startSite;
  private int streamIds;
  private DStreamCheckpoint dstreamCheckpoint;
  /** The hold on the checkpoint directory, from before start reads it until the context stops; null without one. */
  private volatile CheckpointLock checkpointLock;
  private List<DStream<?>> keptStreams = List.of();
  private final Map<Integer, io.freshet.spark.streaming.scheduler.rate.RateEstimator> rateEstimators =
      new java.util.HashMap<>();

  public StreamingContext(SparkConf conf, Duration batchDuration) {
    if (batchDuration == null || batchDuration.milliseconds() <= 0) {
      throw new IllegalArgumentException("requirement failed: Batch duration must be positive, got " + batchDuration);
    }
    this.conf = conf.clone();
    this.batchDuration = batchDuration;
    this.sparkContext = new JavaSparkContext(this.conf);
    this.clock = makeClock(this.conf.get("spark.streaming.clock", "org.apache.spark.util.SystemClock"));
  }

  private static LongSupplier makeClock(String name) {
    if (name.endsWith(".ManualClock")) {
      return new io.freshet.spark.util.ManualClock();
    }
    if (name.endsWith(".SystemClock")) {
      return System::currentTimeMillis;
    }
    throw new IllegalArgumentException("Unknown spark.streaming.clock '" + name + "'; use "
        + "org.apache.spark.util.SystemClock or org.apache.spark.util.ManualClock");
  }

  public SparkConf conf() {
    return conf;
  }

  public Duration batchDuration() {
    return batchDuration;
  }

  public JavaSparkContext sparkContext() {
    return sparkContext;
  }

  /** The clock batches follow: the system's, or a {@link io.freshet.spark.util.ManualClock}. */
  public LongSupplier clock() {
    return clock;
  }

  public StreamingContextState getState() {
    return state;
  }

  public String checkpointDirectory() {
    return checkpointDirectory;
  }

  /** Spark's checks before a stream is added: none after the context started or stopped. */
  public void checkCanAddOperations() {
    if (state == StreamingContextState.ACTIVE) {
      throw new IllegalStateException("Adding new inputs, transformations, and output operations after starting a "
          + "context is not supported");
    }
    if (state == StreamingContextState.STOPPED) {
      throw new IllegalStateException("Adding new inputs, transformations, and output operations after stopping a "
          + "context is not supported");
    }
  }

  public synchronized void addInputStream(DStream<?> input) {
    inputs.add(input);
    if (input instanceof io.freshet.spark.streaming.dstream.SourceInputDStream<?> source) {
      sourceInputs.add(source);
    }
  }

  /** A number for the next input, which names its offsets and files in the checkpoint. */
  public synchronized int nextInputId() {
    return inputIds++;
  }

  /** A number for the next stream of the graph, which names its files in the checkpoint. */
  public synchronized int nextStreamId() {
    return streamIds++;
  }

  public synchronized void addOutputStream(ForEachDStream<?> output) {
    outputs.add(output);
  }

  public void checkpoint(String directory) {
    checkpointDirectory = directory;
  }

  public void remember(Duration duration) {
    rememberDuration = duration;
  }

  public void addStreamingListener(StreamingListener listener) {
    listeners.add(listener);
  }

  public void removeStreamingListener(StreamingListener listener) {
    listeners.remove(listener);
  }

  public List<StreamingListener> listeners() {
    return listeners;
  }

  public synchronized void start() {
    switch (state) {
      case ACTIVE -> {
        LOG.warn("StreamingContext has already been started");
        return;
      }
      case STOPPED -> throw new IllegalStateException("StreamingContext has already been stopped");
      default -> { }
    }
    synchronized (ACTIVATION_LOCK) {
      // The checkpoint's lock first, before anything in it is read: another program on it is refused, naming it.
      CheckpointLock lock = checkpointDirectory == null ? null : CheckpointLock.take(Path.of(checkpointDirectory),
          conf.get("spark.app.name", "dstream") + " (a DStream StreamingContext)");
      checkpointLock = lock;
      try {
        launch(lock);
      } catch (RuntimeException | Error e) {
        abandonStart(e);
        throw e;
      }
    }
    for (StreamingListener l : listeners) {
      l.onStreamingStarted(new StreamingListenerStreamingStarted(clock.getAsLong()));
    }
    double initialRate = conf.getDouble("spark.streaming.backpressure.initialRate", 0);
    for (DStream<?> input : inputs) {
      if (initialRate > 0 && conf.getBoolean("spark.streaming.backpressure.enabled", false)
          && input instanceof io.freshet.spark.streaming.dstream.InputDStream<?> i) {
        i.setRate(initialRate);
      }
      if (input instanceof io.freshet.spark.streaming.dstream.ReceiverInputDStream<?> r) {
        r.startReceiver();
      }
    }
  }

  /**
   * Starts the batches, under the checkpoint's {@code lock} (null without a checkpoint): restores the kept streams
   * and the receivers' logs, then starts the engine's query, which borrows the lock.
   */
  private void launch(CheckpointLock lock) {
    StreamingContext active = ACTIVE.get();
    if (active != null) {
      throw new IllegalStateException("Only one StreamingContext may be started in this JVM. Currently running "
          + "StreamingContext was started at" + active.startSite);
    }
    if (outputs.isEmpty()) {
      throw new IllegalArgumentException("requirement failed: No output operations registered, so nothing to "
          + "execute");
    }
    if (conf.getBoolean("spark.streaming.receiver.writeAheadLog.enable", false) && checkpointDirectory == null
        && inputs.stream().anyMatch(i -> i instanceof ReceiverInputDStream)) {
      throw new IllegalArgumentException("Cannot enable receiver write-ahead log without checkpoint directory "
          + "set. Please use streamingContext.checkpoint() to set the checkpoint directory. See documentation "
          + "for more details.");
    }
    StateClasses stateClasses = StateClasses.of(conf);
    long batch = batchDuration.milliseconds();
    io.freshet.exec.engine.Checkpoint earlier = earlierRun();
    Time committed = lastCommittedBatchTime(earlier);
    resumeManualClock(earlier, committed);
    long first = (clock.getAsLong() / batch + 1) * batch;
    Time zero = new Time(first - batch);
    allocator = new RootAllocator();
    if (checkpointDirectory != null) {
      dstreamCheckpoint = new DStreamCheckpoint(Path.of(checkpointDirectory), allocator, batchDuration,
          stateClasses);
      zero = dstreamCheckpoint.zeroTime(zero, earlier != null);
    }
    // A new program's first batch is one interval after the zero time it was just given, however long starting
    // takes; one that goes on from its checkpoint goes on after its last batch (the engine's rule).
    long firstBatch = earlier == null && zero.milliseconds() == first - batch ? first : Long.MIN_VALUE;
    for (ForEachDStream<?> out : outputs) {
      out.initialize(zero);
      out.remember(rememberDuration);
      out.validateAtStart();
    }
    java.util.Set<DStream<?>> graph = new java.util.LinkedHashSet<>();
    outputs.forEach(out -> out.collectGraph(graph));
    Map<DStream<?>, Integer> consumers = new java.util.HashMap<>();
    for (DStream<?> d : graph) {
      d.dependencies().forEach(parent -> consumers.merge(parent, 1, Integer::sum));
    }
    graph.forEach(d -> d.setConsumers(consumers.getOrDefault(d, 0)));
    keptStreams = graph.stream().filter(DStream::keptAcrossRestarts)
        .sorted(java.util.Comparator.comparingInt(DStream::id)).toList();
    // The receivers' logs are read back first, changing nothing, so that a refused log leaves the checkpoint as it
    // was. What the reading back found is then made, and only after it the graph file records the logs as
    // enabled: a crash in between leaves a log that is there and not yet recorded, which is read back as before.
    // Nothing is stored in a log before the receivers start, after all of this.
    List<ReceiverInputDStream<?>> logged = new ArrayList<>();
    if (conf.getBoolean("spark.streaming.receiver.writeAheadLog.enable", false) && dstreamCheckpoint != null) {
      java.util.Set<Integer> before = dstreamCheckpoint.receiverLogs();
      for (DStream<?> input : inputs) {
        if (input instanceof ReceiverInputDStream<?> r) {
          r.openLog(Path.of(checkpointDirectory), committed, stateClasses, before.contains(r.receiverId()),
              dstreamCheckpoint.graphFile());
          logged.add(r);
        }
      }
    }
    if (dstreamCheckpoint != null) {
      dstreamCheckpoint.restore(keptStreams, committed);
    }
    logged.forEach(ReceiverInputDStream::settleLog);
    if (dstreamCheckpoint != null) {
      dstreamCheckpoint.record(zero, keptStreams, logged.stream().map(ReceiverInputDStream::receiverId)
          .collect(java.util.stream.Collectors.toSet()));
    }
    List<QueryDefinition.SourceBinding> bindings = new ArrayList<>();
    if (!sourceInputs.isEmpty()) {
      io.freshet.exec.connector.ConnectorRegistry registry = io.freshet.exec.connector.ConnectorRegistry.load();
      io.freshet.exec.connector.SharedResources resources = new io.freshet.exec.connector.SharedResources(
          allocator);
      for (var input : sourceInputs) {
        bindings.add(input.binding(registry, resources));
      }
    } else {
      bindings.add(new QueryDefinition.SourceBinding("dstream", run -> new NoInput()));
    }
    QueryDefinition definition = new QueryDefinition(conf.get("spark.app.name", "dstream"),
        checkpointDirectory == null ? null : Path.of(checkpointDirectory), Trigger.ProcessingTime(batch),
        OutputMode.APPEND, null, bindings, null, "DStream output operations", null, null, 1, clock,
        new io.freshet.exec.engine.BatchJob() {
          @Override
          public void run(long batchId, long timeMs, Map<String, List<Batch>> in) throws Exception {
            runBatch(new Time(timeMs), in);
          }

          @Override
          public long firstBatchTimeMs() {
            return firstBatch;
          }
        });
    startSite = "\n" + callSite();
    execution = StreamExecution.start(definition, allocator, q -> { }, this::terminated, lock);
    state = StreamingContextState.ACTIVE;
    ACTIVE.set(this);
  }

  /**
   * A refused or failed start lets go of what it took (the receivers' logs, the allocator, the checkpoint's lock),
   * so that nothing leaks and the checkpoint can be started again, by this context or another. A leak the allocator
   * reports as it closes goes with {@code failure}.
   */
  private void abandonStart(Throwable failure) {
    stopInputs();
    if (allocator != null) {
      try {
        allocator.close();
      } catch (RuntimeException leak) {
        failure.addSuppressed(leak);
      }
      allocator = null;
    }
    releaseCheckpoint();
    checkpointLock = null;
  }

  /** The allocator of the started context's batches; null when it is not running (for tests). */
  BufferAllocator allocator() {
    return allocator;
  }

  /** The checkpoint of an earlier run of this program (one that logged a batch); null for a new program. */
  private io.freshet.exec.engine.Checkpoint earlierRun() {
    if (checkpointDirectory == null
        || !java.nio.file.Files.isDirectory(Path.of(checkpointDirectory).resolve("offsets"))) {
      return null;
    }
    io.freshet.exec.engine.Checkpoint checkpoint = new io.freshet.exec.engine.Checkpoint(Path.of(checkpointDirectory));
    return checkpoint.latestOffsetBatch().isPresent() ? checkpoint : null;
  }

  /**
   * The time of the last batch the checkpoint holds as committed (an uncommitted one after it runs again first,
   * at its own later time); null without one. The offset and commit entries must agree first, as the engine checks
   * when its query starts: the DStream files are read, and those of later batches deleted, up to this time, so a
   * time taken from lost commit entries would drop what committed batches wrote.
   */
  private static Time lastCommittedBatchTime(io.freshet.exec.engine.Checkpoint earlier) {
    if (earlier == null) {
      return null;
    }
    java.util.OptionalLong committed = earlier.latestCommitBatchFallingBack();
    earlier.checkChain(committed);
    return committed.isPresent() ? new Time(earlier.offsets(committed.getAsLong()).timestampMs()) : null;
  }

  /**
   * As Spark's job generator on a restart: a manual clock is set to the last committed batch time in the
   * checkpoint (plus {@code spark.streaming.manualClock.jump}), so that the next batch is the one after it.
   */
  private void resumeManualClock(io.freshet.exec.engine.Checkpoint earlier, Time committed) {
    if (!(clock instanceof io.freshet.spark.util.ManualClock manual) || earlier == null) {
      return;
    }
    long time = committed != null ? committed.milliseconds()
        : earlier.offsets(0).timestampMs() - batchDuration.milliseconds();
    manual.setTime(time + conf.getLong("spark.streaming.manualClock.jump", 0));
  }

  private static String callSite() {
    StringBuilder sb = new StringBuilder();
    for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
      if (!e.getClassName().startsWith("io.freshet.spark") && !e.getClassName().startsWith("java.")) {
        sb.append(e).append('\n');
        break;
      }
    }
    return sb.toString();
  }

  /**
   * The engine's run ended (stopped, or failed): receivers stop storing and inputs close what they hold before the
   * context stops being the active one, so a new context on the same checkpoint never meets them.
   */
  private void terminated(StreamExecution query) {
    stopReceivers();
    releaseInputs();
    releaseCheckpoint();
    synchronized (ACTIVATION_LOCK) {
      ACTIVE.compareAndSet(this, null);
    }
    state = StreamingContextState.STOPPED;
  }

  private void stopReceivers() {
    for (DStream<?> input : inputs) {
      if (input instanceof io.freshet.spark.streaming.dstream.ReceiverInputDStream<?> r) {
        r.stopReceiver();
      }
    }
  }

  /** Lets the checkpoint go (once), after the batches and the inputs that write in it have ended. */
  private void releaseCheckpoint() {
    CheckpointLock lock = checkpointLock;
    if (lock != null) {
      lock.close();
    }
  }

  private boolean inputsReleased;

  /** Has the inputs close what they hold (once): called when the batches have ended. */
  private synchronized void releaseInputs() {
    if (inputsReleased) {
      return;
    }
    inputsReleased = true;
    stopInputs();
  }

  /** Has each input close what it holds (a receiver its write-ahead log). */
  private void stopInputs() {
    for (DStream<?> input : inputs) {
      if (input instanceof io.freshet.spark.streaming.dstream.InputDStream<?> i) {
        try {
          i.stop();
        } catch (RuntimeException e) {
          LOG.warn("Stopping input {}: {}", i.id(), e.toString());
        }
      }
    }
  }

  /**
   * One batch: each input's data of the batch, every output operation in order, then the RDDs no window needs
   * any more are forgotten, the state goes to the checkpoint, and (with backpressure) each input's rate is
   * estimated again from how the batch went.
   */
  private void runBatch(Time time, Map<String, List<Batch>> in) {
    for (var input : sourceInputs) {
      input.offer(time, in.get(input.name()));
    }
    long records = 0;
    for (DStream<?> d : inputs) {
      if (d instanceof io.freshet.spark.streaming.dstream.ReceiverInputDStream<?> r) {
        r.generateBlock(time);
      }
      if (d instanceof io.freshet.spark.streaming.dstream.InputDStream<?> input) {
        records += input.lastRecords();
      }
    }
    long submitted = clock.getAsLong();
    BatchInfo info = new BatchInfo(time, submitted, null, null, records);
    listeners.forEach(l -> l.onBatchSubmitted(new StreamingListenerBatchSubmitted(info)));
    long started = clock.getAsLong();
    BatchInfo running = new BatchInfo(time, submitted, started, null, records);
    listeners.forEach(l -> l.onBatchStarted(new StreamingListenerBatchStarted(running)));
    for (ForEachDStream<?> out : outputs) {
      out.run(time);
    }
    io.freshet.exec.engine.CrashPoint.reached("sink-write");
    for (ForEachDStream<?> out : outputs) {
      out.clearOldMetadata(time);
    }
    if (dstreamCheckpoint != null) {
      dstreamCheckpoint.afterBatch(keptStreams);
    }
    io.freshet.exec.engine.CrashPoint.reached("sink-committed");
    long completed = clock.getAsLong();
    estimateRates(time, completed - started, Math.max(0, started - time.milliseconds()));
    BatchInfo done = new BatchInfo(time, submitted, started, completed, records);
    listeners.forEach(l -> l.onBatchCompleted(new StreamingListenerBatchCompleted(done)));
  }

  /**
   * Backpressure ({@code spark.streaming.backpressure.enabled}): each input that can keep to a rate gets the rate
   * its own estimator computes from this batch's records, processing delay and scheduling delay.
   */
  private void estimateRates(Time time, long processingDelay, long schedulingDelay) {
    if (!conf.getBoolean("spark.streaming.backpressure.enabled", false)) {
      return;
    }
    for (DStream<?> d : inputs) {
      if (!(d instanceof io.freshet.spark.streaming.dstream.InputDStream<?> input)) {
        continue;
      }
      var estimator = rateEstimators.computeIfAbsent(input.id(), id ->
          io.freshet.spark.streaming.scheduler.rate.RateEstimator.create(conf, batchDuration));
      var rate = estimator.compute(time.milliseconds(), input.lastRecords(), processingDelay, schedulingDelay);
      if (rate.isDefined()) {
        input.setRate((Double) rate.get());
      }
    }
  }

  /** Stops the batches: the batch in flight finishes (gracefully or not, a batch is never cut short). */
  public void stop(boolean stopSparkContext, boolean stopGracefully) {
    StreamExecution running;
    synchronized (this) {
      if (state == StreamingContextState.INITIALIZED) {
        state = StreamingContextState.STOPPED;
        return;
      }
      running = execution;
    }
    stopReceivers();
    if (running != null) {
      running.stop();
    }
    releaseInputs();
    releaseCheckpoint();
    state = StreamingContextState.STOPPED;
    synchronized (ACTIVATION_LOCK) {
      ACTIVE.compareAndSet(this, null);
    }
    if (allocator != null) {
      allocator.close();
      allocator = null;
    }
    if (stopSparkContext) {
      sparkContext.stop();
    }
  }

  /** Waits until the context stops; rethrows what stopped it, as Spark does. */
  public void awaitTermination() throws InterruptedException {
    awaitTerminationOrTimeout(Long.MAX_VALUE);
  }

  public boolean awaitTerminationOrTimeout(long timeoutMs) throws InterruptedException {
    StreamExecution running = execution;
    if (running == null) {
      throw new IllegalStateException("StreamingContext has not been started yet");
    }
    try {
      return running.awaitTermination(timeoutMs);
    } catch (FreshetException e) {
      throw sneaky(programFailure(e));
    }
  }

  /** The exception the program's own code threw, unwrapped from the engine's reports. */
  private static Throwable programFailure(Throwable t) {
    Throwable c = t;
    while ((c instanceof FreshetException || c instanceof RDD.UserFunctionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** The engine's input for a DStream program whose inputs are queues: it has no rows of its own. */
  private static final class NoInput implements Source {
    private static final RowSchema SCHEMA = RowSchema.of(Column.of("none", TypeKind.BIGINT));

    @Override
    public RowSchema schema() {
      return SCHEMA;
    }

    @Override
    public Offset latestOffset() {
      return null;
    }

    @Override
    public Iterator<Batch> read(Offset start, Offset end) {
      return Collections.emptyIterator();
    }

    @Override
    public void prepareForAvailableNow() {
    }

    @Override
    public void endAvailableNow() {
    }

    @Override
    public String description() {
      return "DStream inputs";
    }
  }
}
