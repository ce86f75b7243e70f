package io.freshet.spark.api.java.function;

/** Spark's {@code Function}. */
@FunctionalInterface
public interface Function<T1, R> extends java.io.Serializable {
  R call(T1 v1) throws Exception;
}
