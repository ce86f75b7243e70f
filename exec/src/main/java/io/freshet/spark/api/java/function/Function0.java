package io.freshet.spark.api.java.function;

/** Spark's {@code Function0}. */
@FunctionalInterface
public interface Function0<R> extends java.io.Serializable {
  R call() throws Exception;
}
