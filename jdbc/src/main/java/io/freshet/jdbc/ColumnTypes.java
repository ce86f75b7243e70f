package io.freshet.jdbc;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.calcite.avatica.ColumnMetaData;

/**
 * Freshet's column types as JDBC sees them, and its values as Avatica carries them. A TIMESTAMP travels as the
 * milliseconds of its wall-clock time read as UTC, which Avatica turns back into the same wall-clock time in the
 * client's time zone (Calcite's convention for zone-less timestamps).
 */
final class ColumnTypes {
  private ColumnTypes() {
  }

  /** The JDBC type ({@link Types}) of a Freshet type. */
  static int sqlType(TypeKind type) {
    return switch (type) {
      case BOOLEAN -> Types.BOOLEAN;
      case INT -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case DOUBLE -> Types.DOUBLE;
      case VARCHAR -> Types.VARCHAR;
      case TIMESTAMP -> Types.TIMESTAMP;
    };
  }

  /** The SQL name JDBC tools show: INTEGER, BIGINT, TIMESTAMP, ... */
  static String typeName(TypeKind type) {
    return type == TypeKind.INT ? "INTEGER" : type == TypeKind.TIMESTAMP ? "TIMESTAMP" : type.sqlName();
  }

  /** Digits of a number, characters of a string, fractional digits of a timestamp; null where none applies. */
  static Integer precision(TypeKind type) {
    return switch (type) {
      case INT -> 10;
      case BIGINT -> 19;
      case DOUBLE -> 15;
      case VARCHAR -> Integer.MAX_VALUE;
      case TIMESTAMP -> 3;
      case BOOLEAN -> null;
    };
  }

  private static ColumnMetaData.Rep rep(TypeKind type) {
    return switch (type) {
      case BOOLEAN -> ColumnMetaData.Rep.BOOLEAN;
      case INT -> ColumnMetaData.Rep.INTEGER;
      case BIGINT, TIMESTAMP -> ColumnMetaData.Rep.LONG;
      case DOUBLE -> ColumnMetaData.Rep.DOUBLE;
      case VARCHAR -> ColumnMetaData.Rep.STRING;
    };
  }

  /** The metadata of result column {@code ordinal} (from 0). */
  static ColumnMetaData column(int ordinal, Column c) {
    TypeKind t = c.type();
    ColumnMetaData.ScalarType scalar = ColumnMetaData.scalar(sqlType(t), typeName(t), rep(t));
    Integer precision = precision(t);
    boolean numeric = t.isNumeric();
    return new ColumnMetaData(ordinal, false, true, false, false,
        c.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls, numeric,
        t == TypeKind.VARCHAR ? 256 : t == TypeKind.TIMESTAMP ? 23 : 20, c.name(), c.name(), null,
        precision == null ? 0 : precision, t == TypeKind.TIMESTAMP ? 3 : 0, null, null, scalar, true, false, false,
        scalar.columnClassName());
  }

  /** A VARCHAR column, for the results of SHOW, DESCRIBE, EXPLAIN and INSERT. */
  static ColumnMetaData text(int ordinal, String name) {
    return column(ordinal, Column.of(name, TypeKind.VARCHAR));
  }

  /** A value as Avatica carries it: a timestamp as milliseconds, everything else as it is. */
  static Object value(Object v) {
    return v instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC).toEpochMilli() : v;
  }
}
