package io.freshet.spark.api.java.function;

/** Spark's {@code Function4}. */
@FunctionalInterface
public interface Function4<T1, T2, T3, T4, R> extends java.io.Serializable {
  R call(T1 v1, T2 v2, T3 v3, T4 v4) throws Exception;
}
