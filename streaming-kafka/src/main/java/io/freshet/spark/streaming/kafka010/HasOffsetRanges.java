package io.freshet.spark.streaming.kafka010;

/**
 * Spark's {@code HasOffsetRanges}: the RDD of a direct stream's batch tells which offsets it holds. As in Spark,
 * only the stream's own RDD has them: cast {@code rdd.rdd()} in the first operation on the stream.
 */
public interface HasOffsetRanges {
  OffsetRange[] offsetRanges();
}
