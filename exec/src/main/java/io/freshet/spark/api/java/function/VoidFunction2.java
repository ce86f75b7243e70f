package io.freshet.spark.api.java.function;

/** Spark's {@code VoidFunction2}. */
@FunctionalInterface
public interface VoidFunction2<T1, T2> extends java.io.Serializable {
  void call(T1 v1, T2 v2) throws Exception;
}
