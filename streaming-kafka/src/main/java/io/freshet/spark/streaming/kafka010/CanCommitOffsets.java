package io.freshet.spark.streaming.kafka010;

import org.apache.kafka.clients.consumer.OffsetCommitCallback;

/**
 * Spark's {@code CanCommitOffsets}: a direct stream commits offsets to its consumer group when the program says
 * so (after its outputs are done), at the start of the next batch, as in Spark. Freshet's own record of what was
 * read is the checkpoint; the group's offsets are for the program and for monitoring.
 */
public interface CanCommitOffsets {
  void commitAsync(OffsetRange[] offsetRanges);

  void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback);
}
