package io.freshet.planner.translate;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.CalcOperator;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.planner.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexProgram;

/** Translates a Calcite {@link Calc} (a filter and projections) into the runtime's {@link CalcOperator.Spec}. */
public final class CalcTranslator {
  private CalcTranslator() {
  }

  /** The Calc's condition and projections, its columns named and typed as its row type. */
  public static CalcOperator.Spec translate(Calc calc) {
    return translate(calc.getProgram(), calc.getCluster().getRexBuilder());
  }

  /** The program's condition and projections, its columns named and typed as its output row type. */
  public static CalcOperator.Spec translate(RexProgram program, RexBuilder rexBuilder) {
    RexTranslator translator = new RexTranslator(rexBuilder);
    Expr condition = null;
    if (program.getCondition() != null) {
      condition = translator.translate(program.expandLocalRef(program.getCondition()));
    }
    List<Expr> projections = new ArrayList<>();
    List<Column> columns = new ArrayList<>();
    List<RelDataTypeField> fields = program.getOutputRowType().getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      projections.add(translator.translate(program.expandLocalRef(program.getProjectList().get(i))));
      RelDataType type = fields.get(i).getType();
      columns.add(new Column(fields.get(i).getName(), Types.toKind(type), type.isNullable()));
    }
    return new CalcOperator.Spec(condition, projections, new RowSchema(columns));
  }
}
