package io.freshet.spark.api.java.function;

/** Spark's {@code FlatMapFunction}. */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends java.io.Serializable {
  java.util.Iterator<R> call(T t) throws Exception;
}
