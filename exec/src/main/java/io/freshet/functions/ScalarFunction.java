package io.freshet.functions;

/**
 * An optional base class for a user-defined scalar function, as Flink's {@code ScalarFunction} is. A function class
 * is any public class with a public constructor without arguments and one or more public {@code eval} methods; the
 * SQL types of an {@code eval}'s parameters and result come from its Java types ({@code long}/{@code Long} is
 * BIGINT, {@code String} is VARCHAR, ...). Declared with {@code CREATE FUNCTION name AS 'com.example.MyFunction'}.
 *
 * <p>Each operator that calls the function makes its own instance and calls it from one thread only, so an instance
 * may keep state of its own (a buffer, a compiled pattern) without locks.
 */
public abstract class ScalarFunction {
  /** Called once on each instance, before its first {@code eval}: set up what the instance needs. */
  public void open() throws Exception {
  }
}
