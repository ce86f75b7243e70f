package io.freshet.spark.storage;

/**
 * Spark's {@code StorageLevel}, accepted where Spark's API takes one. Freshet keeps a batch's data in memory and a
 * received input in its write-ahead log whatever the level says.
 */
public final class StorageLevel implements java.io.Serializable {
  public static final StorageLevel NONE = new StorageLevel("NONE");
  public static final StorageLevel MEMORY_ONLY = new StorageLevel("MEMORY_ONLY");
  public static final StorageLevel MEMORY_ONLY_SER = new StorageLevel("MEMORY_ONLY_SER");
  public static final StorageLevel MEMORY_AND_DISK = new StorageLevel("MEMORY_AND_DISK");
  public static final StorageLevel MEMORY_AND_DISK_SER = new StorageLevel("MEMORY_AND_DISK_SER");
  public static final StorageLevel MEMORY_AND_DISK_SER_2 = new StorageLevel("MEMORY_AND_DISK_SER_2");
  public static final StorageLevel DISK_ONLY = new StorageLevel("DISK_ONLY");
  public static final StorageLevel DISK_ONLY_2 = new StorageLevel("DISK_ONLY_2");
  public static final StorageLevel MEMORY_ONLY_2 = new StorageLevel("MEMORY_ONLY_2");
  public static final StorageLevel MEMORY_ONLY_SER_2 = new StorageLevel("MEMORY_ONLY_SER_2");
  public static final StorageLevel MEMORY_AND_DISK_2 = new StorageLevel("MEMORY_AND_DISK_2");
  public static final StorageLevel OFF_HEAP = new StorageLevel("OFF_HEAP");

  private final String name;

  private StorageLevel(String name) {
    this.name = name;
  }

  // As Java programs reach Spark's Scala object: StorageLevel.MEMORY_AND_DISK_2() and so on.

  public static StorageLevel NONE() {
    return NONE;
  }

  public static StorageLevel MEMORY_ONLY() {
    return MEMORY_ONLY;
  }

  public static StorageLevel MEMORY_ONLY_2() {
    return MEMORY_ONLY_2;
  }

  public static StorageLevel MEMORY_ONLY_SER() {
    return MEMORY_ONLY_SER;
  }

  public static StorageLevel MEMORY_ONLY_SER_2() {
    return MEMORY_ONLY_SER_2;
  }

  public static StorageLevel MEMORY_AND_DISK() {
    return MEMORY_AND_DISK;
  }

  public static StorageLevel MEMORY_AND_DISK_2() {
    return MEMORY_AND_DISK_2;
  }

  public static StorageLevel MEMORY_AND_DISK_SER() {
    return MEMORY_AND_DISK_SER;
  }

  public static StorageLevel MEMORY_AND_DISK_SER_2() {
    return MEMORY_AND_DISK_SER_2;
  }

  public static StorageLevel DISK_ONLY() {
    return DISK_ONLY;
  }

  public static StorageLevel DISK_ONLY_2() {
    return DISK_ONLY_2;
  }

  public static StorageLevel OFF_HEAP() {
    return OFF_HEAP;
  }

  @Override
  public String toString() {
    return "StorageLevel(" + name + ")";
  }
}
