/**
 * The user-facing streaming types shared by every face of the engine, named as in Spark Structured Streaming:
 * {@link io.freshet.streaming.StreamingQuery}, progress and status,
 * {@link io.freshet.streaming.StreamingQueryListener}, {@link io.freshet.streaming.Trigger},
 * {@link io.freshet.streaming.OutputMode}, {@link io.freshet.streaming.Row}, and the one exception family.
 */
package io.freshet.streaming;
