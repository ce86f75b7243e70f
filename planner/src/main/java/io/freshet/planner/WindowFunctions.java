package io.freshet.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlHopTableFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSessionTableFunction;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlTumbleTableFunction;
import org.apache.calcite.sql.SqlWindowTableFunction;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlNameMatcher;

/**
 * The window table functions as Flink SQL defines them: Calcite's TUMBLE, HOP and SESSION, whose rows also carry
 * {@code window_time} (the window's last millisecond, a time attribute for cascading windows), and whose SESSION
 * takes {@code TABLE t PARTITION BY key}; and Flink's CUMULATE.
 */
final class WindowFunctions {
  static final String WINDOW_START = "window_start";
  static final String WINDOW_END = "window_end";
  static final String WINDOW_TIME = "window_time";

  private WindowFunctions() {
  }

  /** The table's columns, then window_start, window_end and window_time, all TIMESTAMP(3) NOT NULL. */
  private static final SqlReturnTypeInference WINDOWED_ROW = (SqlOperatorBinding binding) -> {
    RelDataType input = binding.getOperandType(0);
    RelDataTypeFactory types = binding.getTypeFactory();
    RelDataType ts = types.createSqlType(SqlTypeName.TIMESTAMP, 3);
    return types.builder().kind(input.getStructKind())
        .addAll(input.getFieldList())
        .add(WINDOW_START, ts)
        .add(WINDOW_END, ts)
        .add(WINDOW_TIME, ts)
        .build();
  };

  static final class Tumble extends SqlTumbleTableFunction {
    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return WINDOWED_ROW;
    }
  }

  static final class Hop extends SqlHopTableFunction {
    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return WINDOWED_ROW;
    }
  }

  static final class Session extends SqlSessionTableFunction {
    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return WINDOWED_ROW;
    }
  }

  /**
   * Flink's {@code CUMULATE(TABLE t, DESCRIPTOR(ts), step, size [, offset])}, which Calcite lacks. Its operands are
   * HOP's (a table, a descriptor, two or three intervals), checked as HOP checks them, with the step named STEP.
   */
  static final class Cumulate extends SqlWindowTableFunction {
    static final String NAME = "CUMULATE";

    Cumulate() {
      super(NAME, new CumulateOperands(new SqlHopTableFunction().getOperandTypeChecker()));
    }

    @Override
    public SqlReturnTypeInference getRowTypeInference() {
      return WINDOWED_ROW;
    }
  }

  /** HOP's operand checks, under CUMULATE's parameter names. */
  private record CumulateOperands(SqlOperandMetadata hop) implements SqlOperandMetadata {
    @Override
    public List<RelDataType> paramTypes(RelDataTypeFactory typeFactory) {
      return hop.paramTypes(typeFactory);
    }

    @Override
    public List<String> paramNames() {
      return List.of("DATA", "TIMECOL", "STEP", "SIZE", "OFFSET");
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding callBinding, boolean throwOnFailure) {
      return hop.checkOperandTypes(callBinding, throwOnFailure);
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      return hop.getOperandCountRange();
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return opName + "(TABLE table_name, DESCRIPTOR(timecol), step interval, size interval[, offset interval])";
    }

    @Override
    public boolean isOptional(int i) {
      return hop.isOptional(i);
    }
  }

  /**
   * Rewrites Flink's {@code SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), gap)} into Calcite's
   * {@code SESSION(TABLE t, DESCRIPTOR(ts), DESCRIPTOR(k), gap)}, which plans the same window with its key.
   */
  static SqlNode rewriteSessionPartitions(SqlNode query) {
    return query.accept(new SqlShuttle() {
      @Override
      public SqlNode visit(SqlCall call) {
        SqlCall visited = (SqlCall) super.visit(call);
        if (visited == null) {
          visited = call;
        }
        if (visited.getOperator().getName().equalsIgnoreCase("SESSION") && visited.operandCount() >= 1
            && visited.operand(0).getKind() == SqlKind.SET_SEMANTICS_TABLE) {
          SqlCall table = visited.operand(0);
          SqlNodeList keys = table.operand(1);
          List<SqlNode> operands = new ArrayList<>();
          operands.add(table.operand(0));
          operands.add(visited.operand(1));
          operands.add(SqlStdOperatorTable.DESCRIPTOR.createCall(keys.getParserPosition(), keys.getList()));
          for (int i = 2; i < visited.operandCount(); i++) {
            operands.add(visited.operand(i));
          }
          return visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(),
              operands.toArray(new SqlNode[0]));
        }
        return visited;
      }
    });
  }

  /**
   * Calcite's standard operators with the three window table functions replaced by Freshet's, and CUMULATE; then
   * the session's user-defined functions.
   */
  static SqlOperatorTable operatorTable(List<SqlOperator> userFunctions) {
    return SqlOperatorTables.chain(new Replacing(), SqlOperatorTables.of(userFunctions));
  }

  /** Looks up as Calcite's standard table does, then swaps in Freshet's window table functions. */
  private static final class Replacing implements SqlOperatorTable {
    private final SqlOperatorTable standard = SqlStdOperatorTable.instance();
    /**
     * Functions beyond the standard: Calcite's library SPLIT (for CROSS JOIN UNNEST) and Flink's SPLIT_INDEX,
     * REGEXP_EXTRACT and DATE_FORMAT.
     */
    private final SqlOperatorTable library = SqlOperatorTables.chain(
        SqlOperatorTables.of(org.apache.calcite.sql.fun.SqlLibraryOperators.SPLIT),
        SqlOperatorTables.of(FlinkFunctions.all()));
    private final List<SqlOperator> windows = List.of(new Tumble(), new Hop(), new Session());
    private final SqlOperator cumulate = new Cumulate();

    private SqlOperator replace(SqlOperator op) {
      if (op instanceof SqlWindowTableFunction) {
        for (SqlOperator w : windows) {
          if (w.getName().equals(op.getName())) {
            return w;
          }
        }
      }
      return op;
    }

    @Override
    public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax,
        List<SqlOperator> operatorList, SqlNameMatcher nameMatcher) {
      List<SqlOperator> found = new ArrayList<>();
      standard.lookupOperatorOverloads(opName, category, syntax, found, nameMatcher);
      if (found.isEmpty()) {
        library.lookupOperatorOverloads(opName, category, syntax, found, nameMatcher);
      }
      if (found.isEmpty() && opName.isSimple() && nameMatcher.matches(opName.getSimple(), Cumulate.NAME)) {
        found.add(cumulate);
      }
      for (SqlOperator op : found) {
        operatorList.add(replace(op));
      }
    }

    @Override
    public List<SqlOperator> getOperatorList() {
      List<SqlOperator> all = new ArrayList<>(standard.getOperatorList().stream().map(this::replace).toList());
      all.add(cumulate);
      return all;
    }
  }
}
