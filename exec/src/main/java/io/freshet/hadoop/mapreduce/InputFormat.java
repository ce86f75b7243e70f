package io.freshet.hadoop.mapreduce;

/**
 * Hadoop's {@code InputFormat}, as {@code fileStream} names one: what a file's records are, as keys of type
 * {@code K} and values of type {@code V}. Freshet reads the formats it provides itself
 * ({@link io.freshet.hadoop.mapreduce.lib.input.TextInputFormat}).
 */
public abstract class InputFormat<K, V> {
}
