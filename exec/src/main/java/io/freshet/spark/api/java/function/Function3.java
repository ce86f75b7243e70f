package io.freshet.spark.api.java.function;

/** Spark's {@code Function3}. */
@FunctionalInterface
public interface Function3<T1, T2, T3, R> extends java.io.Serializable {
  R call(T1 v1, T2 v2, T3 v3) throws Exception;
}
