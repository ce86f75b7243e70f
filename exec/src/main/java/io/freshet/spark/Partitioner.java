package io.freshet.spark;

/** Spark's {@code Partitioner}: which of {@link #numPartitions} partitions a key goes to. */
public abstract class Partitioner implements java.io.Serializable {
  public abstract int numPartitions();

  /** The partition of {@code key}, in {@code [0, numPartitions())}. */
  public abstract int getPartition(Object key);
}
