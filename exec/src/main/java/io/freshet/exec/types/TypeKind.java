package io.freshet.exec.types;

import java.util.Locale;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The value types the engine computes with, and the Arrow vector that holds each. SQL types map onto these:
 * TINYINT, SMALLINT and INTEGER are INT; FLOAT, REAL, DOUBLE and DECIMAL are DOUBLE; CHAR and VARCHAR are
 * VARCHAR; TIMESTAMP is a zone-less timestamp in milliseconds.
 */
public enum TypeKind {
  BOOLEAN("BOOLEAN", new ArrowType.Bool(), 1),
  INT("INT", new ArrowType.Int(32, true), 4),
  BIGINT("BIGINT", new ArrowType.Int(64, true), 8),
  DOUBLE("DOUBLE", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), 8),
  VARCHAR("VARCHAR", ArrowType.Utf8.INSTANCE, -1),
  TIMESTAMP("TIMESTAMP(3)", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null), 8);

  private final String sqlName;
  private final ArrowType arrowType;
  private final int width;

  TypeKind(String sqlName, ArrowType arrowType, int width) {
    this.sqlName = sqlName;
    this.arrowType = arrowType;
    this.width = width;
  }

  public String sqlName() {
    return sqlName;
  }

  public ArrowType arrowType() {
    return arrowType;
  }

  /** Bytes per value in the data buffer; 1 stands for a bit for BOOLEAN, -1 for variable width. */
  public int width() {
    return width;
  }

  public boolean isNumeric() {
    return this == INT || this == BIGINT || this == DOUBLE;
  }

  /** Reads a SQL type name (as written in DDL, without length or precision), or null when unknown. */
  public static TypeKind fromSqlName(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "BOOLEAN", "BOOL" -> BOOLEAN;
      case "TINYINT", "SMALLINT", "INT", "INTEGER" -> INT;
      case "BIGINT" -> BIGINT;
      case "FLOAT", "REAL", "DOUBLE", "DECIMAL", "NUMERIC", "DEC" -> DOUBLE;
      case "CHAR", "VARCHAR", "STRING", "CHARACTER" -> VARCHAR;
      case "TIMESTAMP" -> TIMESTAMP;
      default -> null;
    };
  }
}
