package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Duration;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of a DStream program's graph: it makes the RDD of a batch time from its parents' RDDs, and remembers the
 * RDDs it made for as long as windows over it need them. A DStream has RDDs at the times {@code zeroTime + k *
 * slideDuration} only (the context's zero time is one batch before the first batch), as in Spark. Graph nodes are
 * used by the batch thread alone.
 */
public abstract class DStream<T> implements java.io.Serializable {
  protected final transient StreamingContext ssc;
  private final transient Map<Time, RDD<T>> generated = new TreeMap<>();
  private final transient int id;
  private transient boolean keptAcrossRestarts;
  private transient boolean persisted;
  /** How many streams of the running graph read this one's RDDs (set at start). */
  private transient int consumers;
  private Time zeroTime;
  private Duration rememberDuration;

  protected DStream(StreamingContext ssc) {
    ssc.checkCanAddOperations();
    this.ssc = ssc;
    this.id = ssc.nextStreamId();
  }

  /** The stream's number in its program's graph, in the order the program made its streams. */
  public int id() {
    return id;
  }

  /**
   * Has the RDDs this stream remembers written to the checkpoint after each batch and read back on a restart:
   * for the streams whose RDDs build on earlier batches (state), and for the parents of windows.
   */
  protected void keepAcrossRestarts() {
    keptAcrossRestarts = true;
  }

  /** Keeps each RDD of this stream once computed (the program's persist or cache). */
  public void persist() {
    persisted = true;
  }

  /** At start: how many streams of the graph read this one. */
  public void setConsumers(int n) {
    consumers = n;
  }

  /**
   * Whether this stream's RDDs are kept once computed rather than computed at each use: when the program asked
   * (persist), when windows or state read them in later batches (which also has them go to the checkpoint), and
   * when more than one stream reads them. Otherwise a batch's elements flow through the stream without being
   * stored (an RDD that is only remembered, as a window's grandparent is, is computed again if read again).
   */
  private boolean keepsRdds() {
    return persisted || consumers != 1 || keptAcrossRestarts();
  }

  public boolean keptAcrossRestarts() {
    return keptAcrossRestarts || mustCheckpoint();
  }

  /** The RDDs this stream remembers now, by time. */
  public Map<Time, RDD<T>> remembered() {
    return java.util.Collections.unmodifiableMap(generated);
  }

  /** What of an RDD goes to the checkpoint: the RDD itself, unless the stream keeps a form of its own. */
  protected RDD<?> checkpointForm(RDD<T> rdd) {
    return rdd;
  }

  /** The RDD of {@code time} back from the checkpoint, in the form {@link #checkpointForm} gave it. */
  @SuppressWarnings("unchecked")
  public void restore(Time time, RDD<Object> form) {
    generated.put(time, restoredForm(form));
  }

  @SuppressWarnings("unchecked")
  protected RDD<T> restoredForm(RDD<Object> form) {
    return (RDD<T>) (RDD<?>) form;
  }

  /** The checkpoint form of the RDD this stream remembers at {@code time}. */
  public RDD<?> checkpointFormAt(Time time) {
    return checkpointForm(generated.get(time));
  }

  /** This stream and every stream it depends on, once each. */
  public void collectGraph(java.util.Set<DStream<?>> into) {
    if (into.add(this)) {
      for (DStream<?> d : dependencies()) {
        d.collectGraph(into);
      }
    }
  }

  public StreamingContext context() {
    return ssc;
  }

  /** How long this stream keeps its RDDs; null before the context started it. */
  protected Duration rememberDuration() {
    return rememberDuration;
  }

  /** The interval between this stream's RDDs. */
  public abstract Duration slideDuration();

  public abstract List<DStream<?>> dependencies();

  /** The RDD of {@code validTime}, a time this stream has RDDs at; null when there is none. */
  protected abstract RDD<T> compute(Time validTime);

  /** Whether the stream needs a checkpoint directory (its state depends on earlier batches). */
  protected boolean mustCheckpoint() {
    return false;
  }

  /** How much longer than this stream's own memory its parents must remember (a window's length). */
  protected Duration parentRememberDuration() {
    return rememberDuration;
  }

  public void initialize(Time zero) {
    if (zeroTime != null && !zeroTime.equals(zero)) {
      throw new IllegalStateException("ZeroTime is already initialized to " + zeroTime
          + ", cannot initialize it again to " + zero);
    }
    zeroTime = zero;
    if (rememberDuration == null) {
      rememberDuration = slideDuration();
    }
    for (DStream<?> d : dependencies()) {
      d.initialize(zero);
    }
  }

  /** Keeps RDDs for at least {@code duration}, and has the parents keep what this stream's windows need. */
  public void remember(Duration duration) {
    if (duration != null && (rememberDuration == null || duration.greater(rememberDuration))) {
      rememberDuration = duration;
    }
    for (DStream<?> d : dependencies()) {
      d.remember(parentRememberDuration());
    }
  }

  public void validateAtStart() {
    if (mustCheckpoint() && ssc.checkpointDirectory() == null) {
      throw new IllegalArgumentException("requirement failed: The checkpoint directory has not been set. Please set "
          + "it by StreamingContext.checkpoint().");
    }
    for (DStream<?> d : dependencies()) {
      d.validateAtStart();
    }
  }

  public boolean isTimeValid(Time time) {
    if (zeroTime == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " has not been initialized");
    }
    return time.greater(zeroTime) && time.minus(zeroTime).isMultipleOf(slideDuration());
  }

  /** The RDD of {@code time}: made once and remembered; null when the stream has none at that time. */
  public RDD<T> getOrCompute(Time time) {
    RDD<T> rdd = generated.get(time);
    if (rdd != null) {
      return rdd;
    }
    if (!isTimeValid(time)) {
      return null;
    }
    rdd = compute(time);
    if (rdd != null) {
      if (keepsRdds()) {
        rdd.persist();
      }
      generated.put(time, rdd);
    }
    return rdd;
  }

  /** The RDDs from {@code from} to {@code to}, both included, at this stream's times. */
  public List<RDD<T>> slice(Time from, Time to) {
    List<RDD<T>> out = new ArrayList<>();
    Duration slide = slideDuration();
    Time aligned = from;
    if (!aligned.minus(zeroTime).isMultipleOf(slide)) {
      long offset = Math.floorMod(aligned.minus(zeroTime).milliseconds(), slide.milliseconds());
      aligned = new Time(aligned.milliseconds() - offset + slide.milliseconds());
    }
    for (Time t = aligned; t.lessEq(to); t = t.plus(slide)) {
      RDD<T> rdd = getOrCompute(t);
      if (rdd != null) {
        out.add(rdd);
      }
    }
    return out;
  }

  /** Forgets RDDs older than the remember duration before {@code time}, here and in the parents. */
  public void clearOldMetadata(Time time) {
    Time oldest = time.minus(rememberDuration);
    generated.keySet().removeIf(t -> t.lessEq(oldest));
    for (DStream<?> d : dependencies()) {
      d.clearOldMetadata(time);
    }
  }

  /** In a task's copy of a function that uses it, this very object (it is the program's, not the task's). */
  protected final Object writeReplace() {
    return io.freshet.spark.rdd.Closures.shareInCopies(this);
  }
}
