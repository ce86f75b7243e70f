package io.freshet.planner;

import java.util.List;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Scalar functions Freshet takes from Flink SQL (the Nexmark queries use them), declared for Calcite's validator:
 * their names, operand types and a nullable VARCHAR result. The runtime evaluates them in the exec module.
 */
final class FlinkFunctions {
  /** NULL whenever there is no piece to give, whatever the operands' nullability. */
  private static final SqlReturnTypeInference NULLABLE_VARCHAR =
      ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.FORCE_NULLABLE);

  /** {@code SPLIT_INDEX(text, separator, index)}: the index-th (from 0) piece of text cut at each separator. */
  static final SqlFunction SPLIT_INDEX = new SqlFunction("SPLIT_INDEX", SqlKind.OTHER_FUNCTION, NULLABLE_VARCHAR,
      null, OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER, SqlTypeFamily.INTEGER),
      SqlFunctionCategory.STRING);

  /** {@code REGEXP_EXTRACT(text, regex[, group])}: a group (0, the default, is the whole match) of the first match. */
  static final SqlFunction REGEXP_EXTRACT = new SqlFunction("REGEXP_EXTRACT", SqlKind.OTHER_FUNCTION,
      NULLABLE_VARCHAR, null, OperandTypes.or(
          OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER),
          OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER, SqlTypeFamily.INTEGER)),
      SqlFunctionCategory.STRING);

  /** {@code DATE_FORMAT(timestamp, format)}: the timestamp (or timestamp text) in Java's pattern letters. */
  static final SqlFunction DATE_FORMAT = new SqlFunction("DATE_FORMAT", SqlKind.OTHER_FUNCTION, NULLABLE_VARCHAR,
      null, OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER), SqlFunctionCategory.TIMEDATE);

  /**
   * {@code PROCTIME()}: the processing time of the micro-batch the row is in, a processing-time attribute that
   * TUMBLE, HOP, CUMULATE and FOR SYSTEM_TIME AS OF can name. Flink's type is TIMESTAMP_LTZ(3); Freshet's
   * timestamps are zone-less UTC, so it is a TIMESTAMP(3) of UTC wall time. Not deterministic: Calcite must not
   * fold it into a constant.
   */
  static final SqlFunction PROCTIME = new SqlFunction("PROCTIME", SqlKind.OTHER_FUNCTION,
      ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3), null, OperandTypes.NILADIC, SqlFunctionCategory.TIMEDATE) {
    @Override
    public boolean isDeterministic() {
      return false;
    }

    @Override
    public boolean isDynamicFunction() {
      return true;
    }
  };

  private FlinkFunctions() {
  }

  /** The functions. */
  static List<SqlOperator> all() {
    return List.of(SPLIT_INDEX, REGEXP_EXTRACT, DATE_FORMAT, PROCTIME);
  }
}
