package io.freshet.spark.api.java.function;

/** Spark's {@code Function2}. */
@FunctionalInterface
public interface Function2<T1, T2, R> extends java.io.Serializable {
  R call(T1 v1, T2 v2) throws Exception;
}
