package io.freshet.spark.streaming.receiver;

import io.freshet.spark.storage.StorageLevel;
import java.util.Iterator;

/**
 * Spark's {@code Receiver}: user code that receives data on threads of its own, started by {@link #onStart} (which
 * must return quickly) and stopped by {@link #onStop}. What it {@link #store}s goes into the next batch; a store
 * returns once the data is held, so a reliable receiver acknowledges its source after storing. {@link #restart}
 * stops it and starts it again after {@code spark.streaming.receiverRestartDelay} (2 s by default).
 */
public abstract class Receiver<T> implements java.io.Serializable {
  private final StorageLevel storageLevel;
  private transient volatile Supervisor<T> supervisor;
  private int streamId = -1;

  /** What runs a receiver: takes its data and its reports. */
  public interface Supervisor<T> {
    void push(T item);

    void pushAll(Iterator<T> items);

    void restart(String message, Throwable error, int delayMs);

    void stop(String message, Throwable error);

    void reportError(String message, Throwable error);

    boolean isStarted();

    boolean isStopped();
  }

  public Receiver(StorageLevel storageLevel) {
    this.storageLevel = storageLevel;
  }

  public abstract void onStart();

  public abstract void onStop();

  public StorageLevel storageLevel() {
    return storageLevel;
  }

  public String preferredLocation() {
    return null;
  }

  public void store(T dataItem) {
    supervisor().push(dataItem);
  }

  public void store(Iterator<T> dataIterator) {
    supervisor().pushAll(dataIterator);
  }

  public void store(java.util.List<T> dataBuffer) {
    supervisor().pushAll(dataBuffer.iterator());
  }

  public void reportError(String message, Throwable throwable) {
    supervisor().reportError(message, throwable);
  }

  public void restart(String message) {
    supervisor().restart(message, null, -1);
  }

  public void restart(String message, Throwable error) {
    supervisor().restart(message, error, -1);
  }

  public void restart(String message, Throwable error, int millisecond) {
    supervisor().restart(message, error, millisecond);
  }

  public void stop(String message) {
    supervisor().stop(message, null);
  }

  public void stop(String message, Throwable error) {
    supervisor().stop(message, error);
  }

  public boolean isStarted() {
    return supervisor != null && supervisor.isStarted();
  }

  public boolean isStopped() {
    return supervisor == null || supervisor.isStopped();
  }

  public int streamId() {
    return streamId;
  }

  /** Attaches the receiver to what runs it (the context, when it starts). */
  public void attachSupervisor(Supervisor<T> s, int id) {
    this.supervisor = s;
    this.streamId = id;
  }

  private Supervisor<T> supervisor() {
    Supervisor<T> s = supervisor;
    if (s == null) {
      throw new IllegalStateException("The receiver has not been started");
    }
    return s;
  }
}
