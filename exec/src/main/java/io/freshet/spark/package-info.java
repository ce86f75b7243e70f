/**
 * Spark Streaming's Java API on Freshet's runtime: the packages under {@code io.freshet.spark} mirror those
 * under {@code org.apache.spark} (so {@code org.apache.spark.streaming.api.java.JavaStreamingContext} is
 * {@code io.freshet.spark.streaming.api.java.JavaStreamingContext}), and a Spark Streaming program ports by
 * replacing that prefix in its imports; pairs stay {@code scala.Tuple2}. Batches are scheduled, logged in the
 * checkpoint and reported by the same micro-batch engine that runs SQL queries.
 */
package io.freshet.spark;
