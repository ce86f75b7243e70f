package io.freshet.spark;

/** Spark's {@code HashPartitioner}: keys placed by hash code in a number of partitions. */
public class HashPartitioner extends Partitioner {
  private final int partitions;

  public HashPartitioner(int partitions) {
    if (partitions < 0) {
      throw new IllegalArgumentException("requirement failed: Number of partitions (" + partitions
          + ") cannot be negative.");
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return key == null ? 0 : Math.floorMod(key.hashCode(), partitions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashPartitioner h && h.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
