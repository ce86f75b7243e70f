package io.freshet.planner;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.type.SqlTypeName;

/** Maps between Calcite's SQL types and the engine's {@link TypeKind}s. */
public final class Types {
  private Types() { }

  public static RelDataType toCalcite(Column column, RelDataTypeFactory factory) {
    RelDataType type = switch (column.type()) {
      case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
      case INT -> factory.createSqlType(SqlTypeName.INTEGER);
      case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
      case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
      case VARCHAR -> factory.createSqlType(SqlTypeName.VARCHAR);
      case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, 3);
    };
    return factory.createTypeWithNullability(type, column.nullable());
  }

  public static RelDataType toCalcite(RowSchema schema, RelDataTypeFactory factory) {
    RelDataTypeFactory.Builder builder = factory.builder();
    for (Column c : schema.columns()) {
      builder.add(c.name(), toCalcite(c, factory));
    }
    return builder.build();
  }

  /** The engine type of a Calcite type; intervals of days to seconds are milliseconds (BIGINT). */
  public static TypeKind toKind(RelDataType type) {
    SqlTypeName name = type.getSqlTypeName();
    return switch (name) {
      case BOOLEAN -> TypeKind.BOOLEAN;
      case TINYINT, SMALLINT, INTEGER -> TypeKind.INT;
      case BIGINT -> TypeKind.BIGINT;
      case FLOAT, REAL, DOUBLE, DECIMAL -> TypeKind.DOUBLE;
      case CHAR, VARCHAR -> TypeKind.VARCHAR;
      case TIMESTAMP -> TypeKind.TIMESTAMP;
      case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR,
          INTERVAL_HOUR_MINUTE, INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND ->
          TypeKind.BIGINT;
      case NULL -> TypeKind.VARCHAR;
      default -> throw FreshetException.user("The type " + type.getFullTypeString()
          + " is not supported; use BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR or TIMESTAMP(3)");
    };
  }

  public static RowSchema toSchema(RelDataType rowType) {
    List<Column> columns = new ArrayList<>();
    for (RelDataTypeField f : rowType.getFieldList()) {
      columns.add(new Column(f.getName(), toKind(f.getType()), f.getType().isNullable()));
    }
    return new RowSchema(columns);
  }
}
