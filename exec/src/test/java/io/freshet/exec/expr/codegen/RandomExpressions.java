package io.freshet.exec.expr.codegen;

import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Expr.ColumnRef;
import io.freshet.exec.expr.Expr.Literal;
import io.freshet.exec.expr.Expr.Op;
import io.freshet.exec.types.TypeKind;
import java.util.List;
import java.util.Random;

/**
 * Random expression trees over {@link CalcCodeDifferentialTest#SCHEMA} made of what the code generator supports,
 * with operand types mixed as a planner may mix them (the kernels' compiler inserts the casts).
 */
final class RandomExpressions {
  private static final List<TypeKind> NUMBERS = List.of(TypeKind.INT, TypeKind.BIGINT, TypeKind.DOUBLE);
  private static final Op[] ARITHMETIC = {Op.PLUS, Op.MINUS, Op.TIMES, Op.DIVIDE, Op.MOD, Op.NEGATE, Op.ABS};
  private static final Op[] COMPARISONS = {Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE};
  private static final Op[] TESTS = {Op.NOT, Op.IS_NULL, Op.IS_NOT_NULL, Op.IS_TRUE, Op.IS_NOT_TRUE, Op.IS_FALSE,
      Op.IS_NOT_FALSE};

  private final Random random;

  RandomExpressions(Random random) {
    this.random = random;
  }

  /** An expression of {@code type} at most {@code depth} operators deep. */
  Expr of(TypeKind type, int depth) {
    if (depth == 0 || random.nextInt(5) == 0) {
      return leaf(type);
    }
    if (type == TypeKind.BOOLEAN) {
      return switch (random.nextInt(5)) {
        case 0 -> {
          TypeKind operands = pick(NUMBERS);
          yield Expr.call(COMPARISONS[random.nextInt(COMPARISONS.length)], type, of(operands, depth - 1),
              of(random.nextBoolean() ? operands : pick(NUMBERS), depth - 1));
        }
        case 1 -> Expr.call(random.nextBoolean() ? Op.AND : Op.OR, type, of(type, depth - 1), of(type, depth - 1));
        case 2 -> Expr.call(TESTS[random.nextInt(TESTS.length)], type, of(type, depth - 1));
        case 3 -> Expr.call(Op.CASE, type, of(type, depth - 1), of(type, depth - 1), of(type, depth - 1));
        default -> Expr.call(COMPARISONS[random.nextInt(COMPARISONS.length)], type, of(type, depth - 1),
            of(type, depth - 1));
      };
    }
    return switch (random.nextInt(4)) {
      case 0 -> Expr.call(Op.CAST, type, of(pick(NUMBERS), depth - 1));
      case 1 -> Expr.call(Op.CASE, type, of(TypeKind.BOOLEAN, depth - 1), of(type, depth - 1), of(type, depth - 1));
      default -> {
        Op op = ARITHMETIC[random.nextInt(ARITHMETIC.length)];
        yield op == Op.NEGATE || op == Op.ABS ? Expr.call(op, type, of(type, depth - 1))
            : Expr.call(op, type, of(pick(NUMBERS), depth - 1), of(pick(NUMBERS), depth - 1));
      }
    };
  }

  private Expr leaf(TypeKind type) {
    if (random.nextInt(4) == 0) {
      return new Literal(random.nextInt(8) == 0 ? null : RandomBatches.value(type, random), type);
    }
    String[] names = switch (type) {
      case INT -> new String[] {"i0", "i1"};
      case BIGINT -> new String[] {"l0", "l1"};
      case DOUBLE -> new String[] {"d0", "d1"};
      default -> new String[] {"b0", "b1"};
    };
    int index = CalcCodeDifferentialTest.SCHEMA.indexOf(names[random.nextInt(2)]);
    return new ColumnRef(index, type);
  }

  private TypeKind pick(List<TypeKind> types) {
    return types.get(random.nextInt(types.size()));
  }
}
