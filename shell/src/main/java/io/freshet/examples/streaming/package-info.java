/**
 * Spark Streaming's Java examples, ported to Freshet by changing their {@code org.apache.spark} imports to
 * {@code io.freshet.spark}; run them with {@code bin/run-example streaming.<Name> <args>}.
 */
package io.freshet.examples.streaming;
