package io.freshet.streaming;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a result, as handed to users at the edge of the engine (collect, memory sink, tests). Values are
 * Boolean, Integer, Long, Double, String or {@link LocalDateTime} (zone-less timestamps), or null. The engine
 * itself never works row by row.
 */
public final class Row {
  private final Object[] values;

  private Row(Object[] values) {
    this.values = values;
  }

  public static Row of(Object... values) {
    return new Row(values.clone());
  }

  public static Row fromList(List<?> values) {
    return new Row(values.toArray());
  }

  public int size() {
    return values.length;
  }

  public Object get(int i) {
    return values[i];
  }

  public boolean isNullAt(int i) {
    return values[i] == null;
  }

  public long getLong(int i) {
    return ((Number) values[i]).longValue();
  }

  public int getInt(int i) {
    return ((Number) values[i]).intValue();
  }

  public double getDouble(int i) {
    return ((Number) values[i]).doubleValue();
  }

  public boolean getBoolean(int i) {
    return (Boolean) values[i];
  }

  public String getString(int i) {
    return (String) values[i];
  }

  public LocalDateTime getTimestamp(int i) {
    return (LocalDateTime) values[i];
  }

  public List<Object> toList() {
    return Arrays.asList(values.clone());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row r && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** Spark's form: {@code [1,abc,null]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(values[i]);
    }
    return sb.append(']').toString();
  }
}
