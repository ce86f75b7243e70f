package io.freshet.planner.rules;

import io.freshet.streaming.FreshetException;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Uncollect;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.calcite.rex.RexProgramBuilder;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The parts of {@code CROSS JOIN UNNEST(SPLIT(s, 'delimiter')) AS t(piece)} as Calcite plans it: a correlated join
 * whose left side is a Calc computing the array as column {@code column}, and whose right side unnests it, perhaps
 * under a Calc ({@code after}) that filters or computes over the piece.
 */
record UnnestSplit(Calc left, int column, RexCall split, String delimiter, Uncollect uncollect, Calc after) {
  private static final String USAGE = "UNNEST is supported as CROSS JOIN UNNEST(SPLIT(column, 'delimiter')) AS "
      + "t(piece)";

  /** The parts of {@code correlate}, or an error saying how UNNEST may be written. */
  static UnnestSplit of(Correlate correlate) {
    RelNode right = correlate.getRight().stripped();
    Calc after = null;
    if (right instanceof Calc c) {
      after = c;
      right = c.getInput().stripped();
    }
    if (!(right instanceof Uncollect uncollect) || uncollect.withOrdinality
        || correlate.getJoinType() != JoinRelType.INNER || correlate.getRequiredColumns().cardinality() != 1
        || !(correlate.getLeft().stripped() instanceof Calc left)) {
      throw FreshetException.user(USAGE);
    }
    int column = correlate.getRequiredColumns().nextSetBit(0);
    RexProgram program = left.getProgram();
    RexNode array = program.expandLocalRef(program.getProjectList().get(column));
    if (!(array instanceof RexCall call) || !call.getOperator().getName().equalsIgnoreCase("SPLIT")) {
      throw FreshetException.user(USAGE + "; other arrays cannot be unnested yet");
    }
    String delimiter = ",";
    if (call.getOperands().size() == 2) {
      if (!(call.getOperands().get(1) instanceof RexLiteral literal) || literal.getValueAs(String.class) == null) {
        throw FreshetException.user("SPLIT in UNNEST needs a constant delimiter, e.g. SPLIT(line, ' ')");
      }
      delimiter = literal.getValueAs(String.class);
    }
    return new UnnestSplit(left, column, call, delimiter, uncollect, after);
  }

  /** Whether {@code calc} computes an array, which only the left side of an UNNEST may do. */
  static boolean computesArray(Calc calc) {
    return calc.getRowType().getFieldList().stream()
        .anyMatch(field -> field.getType().getSqlTypeName() == SqlTypeName.ARRAY);
  }

  /** The left side's program with the string that is split in the place of the array. */
  RexProgram leftProgram(RexBuilder rexBuilder) {
    RexProgram program = left.getProgram();
    RexProgramBuilder builder = new RexProgramBuilder(program.getInputRowType(), rexBuilder);
    List<String> names = program.getOutputRowType().getFieldNames();
    for (int i = 0; i < names.size(); i++) {
      RexNode project = i == column ? split.getOperands().get(0)
          : program.expandLocalRef(program.getProjectList().get(i));
      builder.addProject(project, names.get(i));
    }
    if (program.getCondition() != null) {
      builder.addCondition(program.expandLocalRef(program.getCondition()));
    }
    return builder.getProgram(false);
  }

  /** The name of the piece column. */
  String pieceName() {
    return uncollect.getRowType().getFieldList().get(0).getName();
  }
}
