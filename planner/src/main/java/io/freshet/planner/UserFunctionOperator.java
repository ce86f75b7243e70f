package io.freshet.planner;

import io.freshet.exec.expr.JavaValue;
import io.freshet.exec.expr.UserFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A user-defined function as Calcite's validator sees it: its eval methods are its overloads, each with the SQL
 * types of its Java parameter and result types. A call takes the overload its arguments fit best (an argument of
 * the parameter's own type fits better than one that widens to it); the result is nullable.
 */
public final class UserFunctionOperator extends SqlFunction {
  private final UserFunction function;

  /** The operator of {@code function}. */
  public UserFunctionOperator(UserFunction function) {
    super(function.name().toUpperCase(Locale.ROOT), SqlKind.OTHER_FUNCTION,
        binding -> {
          List<RelDataType> types = new ArrayList<>();
          for (int i = 0; i < binding.getOperandCount(); i++) {
            types.add(binding.getOperandType(i));
          }
          UserFunction.Overload chosen = choose(function, types);
          if (chosen == null) {
            throw new CalciteException(mismatch(function, types), null);
          }
          RelDataTypeFactory factory = binding.getTypeFactory();
          return factory.createTypeWithNullability(sqlType(chosen.result(), factory), true);
        },
        null, new Checker(function), SqlFunctionCategory.USER_DEFINED_FUNCTION);
    this.function = function;
  }

  /** The function's eval that a call with arguments of {@code types} runs. */
  public UserFunction.Overload overload(List<RelDataType> types) {
    UserFunction.Overload chosen = choose(function, types);
    if (chosen == null) {
      throw new IllegalStateException(mismatch(function, types));
    }
    return chosen;
  }

  /** The operators of {@code functions}. */
  static List<SqlOperator> of(List<UserFunction> functions) {
    return functions.stream().map(f -> (SqlOperator) new UserFunctionOperator(f)).toList();
  }

  /** The SQL type of a Java value. */
  static RelDataType sqlType(JavaValue value, RelDataTypeFactory factory) {
    return switch (value) {
      case LONG -> factory.createSqlType(SqlTypeName.BIGINT);
      case INT -> factory.createSqlType(SqlTypeName.INTEGER);
      case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
      case FLOAT -> factory.createSqlType(SqlTypeName.REAL);
      case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
      case STRING -> factory.createSqlType(SqlTypeName.VARCHAR);
      case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, 38, 18);
      case LOCAL_DATE_TIME, INSTANT -> factory.createSqlType(SqlTypeName.TIMESTAMP, 3);
    };
  }

  /** The SQL name of a Java value's type, for signatures. */
  static String sqlName(JavaValue value) {
    return switch (value) {
      case LONG -> "BIGINT";
      case INT -> "INTEGER";
      case DOUBLE -> "DOUBLE";
      case FLOAT -> "REAL";
      case BOOLEAN -> "BOOLEAN";
      case STRING -> "VARCHAR";
      case DECIMAL -> "DECIMAL";
      case LOCAL_DATE_TIME, INSTANT -> "TIMESTAMP(3)";
    };
  }

  /** The SQL signatures of the function's evals, e.g. {@code count_char(VARCHAR, VARCHAR) -> BIGINT}. */
  public static List<String> signatures(UserFunction function) {
    return function.overloads().stream().map(o -> function.name() + o.parameters().stream()
        .map(UserFunctionOperator::sqlName).collect(Collectors.joining(", ", "(", ")")) + " -> "
        + sqlName(o.result())).toList();
  }

  private static String mismatch(UserFunction function, List<RelDataType> types) {
    String given = types.stream().map(t -> t.getSqlTypeName().getName()).collect(Collectors.joining(", "));
    List<UserFunction.Overload> fitting = fitting(function, types);
    if (fitting.size() > 1) {
      return "the call " + function.name() + "(" + given + ") fits " + fitting.size() + " eval methods of "
          + function.implementation().getName() + " equally well (" + fitting + "); CAST an argument to the type "
          + "you mean";
    }
    return "function " + function.name() + " takes " + String.join(" or ", signatures(function).stream()
        .map(s -> s.substring(function.name().length(), s.indexOf(" -> "))).toList()) + ", not (" + given
        + "); CAST the arguments, or add an eval method to " + function.implementation().getName();
  }

  /** The overloads that fit best (several when they tie). */
  private static List<UserFunction.Overload> fitting(UserFunction function, List<RelDataType> types) {
    List<UserFunction.Overload> best = new ArrayList<>();
    int bestCost = Integer.MAX_VALUE;
    for (UserFunction.Overload o : function.overloads()) {
      int cost = cost(o, types);
      if (cost < bestCost) {
        best.clear();
        bestCost = cost;
      }
      if (cost == bestCost && cost != Integer.MAX_VALUE) {
        best.add(o);
      }
    }
    return best;
  }

  private static UserFunction.Overload choose(UserFunction function, List<RelDataType> types) {
    List<UserFunction.Overload> best = fitting(function, types);
    return best.size() == 1 ? best.get(0) : null;
  }

  /** How far the arguments are from the overload's parameters: 0 when each is of its own type; MAX_VALUE: no fit. */
  private static int cost(UserFunction.Overload o, List<RelDataType> types) {
    if (o.parameters().size() != types.size()) {
      return Integer.MAX_VALUE;
    }
    int total = 0;
    for (int i = 0; i < types.size(); i++) {
      int c = cost(o.parameters().get(i), types.get(i).getSqlTypeName());
      if (c == Integer.MAX_VALUE) {
        return c;
      }
      total += c;
    }
    return total;
  }

  private static int cost(JavaValue parameter, SqlTypeName arg) {
    if (arg == SqlTypeName.NULL) {
      return 0;
    }
    boolean integer = arg == SqlTypeName.TINYINT || arg == SqlTypeName.SMALLINT || arg == SqlTypeName.INTEGER;
    boolean bigint = integer || arg == SqlTypeName.BIGINT;
    boolean approximate = arg == SqlTypeName.DOUBLE || arg == SqlTypeName.FLOAT || arg == SqlTypeName.REAL;
    int no = Integer.MAX_VALUE;
    return switch (parameter) {
      case INT -> arg == SqlTypeName.INTEGER ? 0 : integer ? 1 : no;
      case LONG -> arg == SqlTypeName.BIGINT ? 0 : bigint ? 1 : no;
      case DOUBLE -> arg == SqlTypeName.DOUBLE || arg == SqlTypeName.FLOAT ? 0 : approximate ? 1
          : arg == SqlTypeName.DECIMAL ? 2 : bigint ? 3 : no;
      case FLOAT -> arg == SqlTypeName.REAL ? 0 : bigint ? 3 : no;
      case DECIMAL -> arg == SqlTypeName.DECIMAL ? 0 : bigint ? 2 : approximate ? 4 : no;
      case BOOLEAN -> arg == SqlTypeName.BOOLEAN ? 0 : no;
      case STRING -> arg == SqlTypeName.VARCHAR || arg == SqlTypeName.CHAR ? 0 : no;
      case LOCAL_DATE_TIME, INSTANT -> arg == SqlTypeName.TIMESTAMP ? 0 : no;
    };
  }

  /** Accepts a call that one eval fits best; otherwise says which calls the function takes. */
  private static final class Checker implements SqlOperandTypeChecker {
    private final UserFunction function;

    Checker(UserFunction function) {
      this.function = function;
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
      List<RelDataType> types = new ArrayList<>();
      for (int i = 0; i < binding.getOperandCount(); i++) {
        types.add(binding.getOperandType(i));
      }
      if (choose(function, types) != null) {
        return true;
      }
      if (throwOnFailure) {
        SqlParserPos pos = binding.getCall().getParserPosition();
        String message = mismatch(function, types);
        throw new CalciteContextException(message, new CalciteException(message, null), pos.getLineNum(),
            pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
      }
      return false;
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
      int min = function.overloads().stream().mapToInt(o -> o.parameters().size()).min().orElse(0);
      int max = function.overloads().stream().mapToInt(o -> o.parameters().size()).max().orElse(0);
      return SqlOperandCountRanges.between(min, max);
    }

    @Override
    public String getAllowedSignatures(SqlOperator op, String opName) {
      return String.join("\n", signatures(function));
    }
  }
}
