package io.freshet.spark.api.java.function;

/** Spark's {@code VoidFunction}. */
@FunctionalInterface
public interface VoidFunction<T> extends java.io.Serializable {
  void call(T t) throws Exception;
}
