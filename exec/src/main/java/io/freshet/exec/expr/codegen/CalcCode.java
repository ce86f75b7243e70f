package io.freshet.exec.expr.codegen;

import io.freshet.exec.expr.ConstantVectors;
import io.freshet.exec.expr.EvalContext;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.expr.Predicate;
import io.freshet.exec.expr.VectorExpr;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Calc's filter and projections, compiled when it is created: what the code generator supports runs as Java
 * compiled to bytecode by Janino, one loop over the rows of a batch reading and writing Arrow buffers, with no
 * interpretation per row and no boxing; the rest runs on the vectorized kernels, unchanged.
 *
 * <p>What is generated: expressions made only of column references, literals, {@code + - * / %} over INT,
 * BIGINT, DOUBLE and TIMESTAMP, comparisons of those and of booleans, AND, OR, NOT, the null tests, numeric
 * casts and CASE over those types (see {@link RowWriter#supports}). The choice is made per part:
 * <ul>
 *   <li>the filter's conjuncts up to the first that is not supported are generated as one loop that writes the
 *       selection; that conjunct and those after it run on the kernels over the rows the loop kept, in order;
 *   <li>each projection that is supported and is not a bare column or literal is generated (all of them in one
 *       loop over the selected rows); a column stays a zero-copy view or a gather, a literal a constant, and any
 *       other projection its kernels.
 * </ul>
 * Results are identical to the kernels', NULLs, overflow (wrapping) and division by zero (NULL) included. The
 * system property {@value #ENABLED_PROPERTY}{@code =false} turns generation off (everything on the kernels).
 */
public final class CalcCode {
  /** The system property that turns code generation off when it is {@code false}. */
  public static final String ENABLED_PROPERTY = "freshet.codegen";
  /**
   * The most expression nodes generated into the filter, and into the projections: a generated method must fit
   * Java's 64 KB of bytecode, and the generator recurses once per level of a tree. Beyond, the kernels run.
   */
  static final int MAX_NODES = 500;
  private static final Logger LOG = LoggerFactory.getLogger(CalcCode.class);

  /** The compiled code, or null when no part is generated. */
  private final CodeCache.Compiled compiled;
  private final CalcBody body;
  private final boolean generatedFilter;
  /** The conjuncts the kernels filter with, after the generated ones; null when there are none. */
  private final Predicate rest;
  /** Per projection: its kernels, or null when it is generated. */
  private final List<VectorExpr> kernels;
  /** The types of the generated projections, in order. */
  private final List<TypeKind> generatedTypes;

  private CalcCode(CodeCache.Compiled compiled, boolean generatedFilter, Predicate rest, List<VectorExpr> kernels,
      List<TypeKind> generatedTypes) {
    this.compiled = compiled;
    this.body = compiled == null ? null : compiled.newBody();
    this.generatedFilter = generatedFilter;
    this.rest = rest;
    this.kernels = kernels;
    this.generatedTypes = generatedTypes;
  }

  /** Compiles a Calc's {@code condition} (null for none) and {@code projections}. */
  public static CalcCode compile(Expr condition, List<Expr> projections) {
    boolean enabled = !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY));
    try {
      return compile(condition, projections, enabled);
    } catch (CodeCache.CannotCompile e) {
      LOG.warn("Generated code for a Calc does not compile; its filter and projections run on the kernels", e);
      return compile(condition, projections, false);
    }
  }

  private static CalcCode compile(Expr condition, List<Expr> projections, boolean enabled) {
    List<Expr> conjuncts = condition == null ? List.of() : Predicate.conjuncts(condition);
    List<Expr> generatedConjuncts = new ArrayList<>();
    int filterNodes = 0;
    while (enabled && generatedConjuncts.size() < conjuncts.size()) {
      Expr conjunct = conjuncts.get(generatedConjuncts.size());
      Expr explicit = conjunct.type() == TypeKind.BOOLEAN ? explicit(conjunct, MAX_NODES - filterNodes) : null;
      if (explicit == null || !RowWriter.supports(explicit)) {
        break;
      }
      filterNodes += nodes(explicit, MAX_NODES);
      generatedConjuncts.add(explicit);
    }
    List<Expr> restConjuncts = conjuncts.subList(generatedConjuncts.size(), conjuncts.size());
    Predicate rest = restConjuncts.isEmpty() ? null : Predicate.compile(restConjuncts.size() == 1
        ? restConjuncts.get(0) : new Expr.Call(Expr.Op.AND, restConjuncts, TypeKind.BOOLEAN));
    List<VectorExpr> kernels = new ArrayList<>();
    List<Expr> generatedProjections = new ArrayList<>();
    int projectionNodes = 0;
    for (Expr projection : projections) {
      Expr explicit = enabled ? explicit(projection, MAX_NODES - projectionNodes) : null;
      if (explicit instanceof Expr.Call && RowWriter.supports(explicit)) {
        projectionNodes += nodes(explicit, MAX_NODES);
        kernels.add(null);
        generatedProjections.add(explicit);
      } else {
        kernels.add(VectorExpr.compile(projection));
      }
    }
    CodeCache.Compiled compiled = null;
    if (!generatedConjuncts.isEmpty() || !generatedProjections.isEmpty()) {
      compiled = CodeCache.compile(CalcGenerator.source(generatedConjuncts, generatedProjections));
    }
    return new CalcCode(compiled, !generatedConjuncts.isEmpty(), rest, kernels,
        generatedProjections.stream().map(Expr::type).toList());
  }

  /** The explicit form of {@code e}, or null when it has none or more than {@code budget} nodes. */
  private static Expr explicit(Expr e, int budget) {
    // The planner's tree is counted first: the explicit form of a long AND or OR is as deep as it is long.
    if (nodes(e, budget) > budget) {
      return null;
    }
    Expr explicit = VectorExpr.explicit(e);
    return explicit == null || nodes(explicit, budget) > budget ? null : explicit;
  }

  /** The number of nodes of {@code e}, counted up to just past {@code limit}. */
  private static int nodes(Expr e, int limit) {
    int n = 1;
    for (Expr a : Expr.args(e)) {
      if (n > limit) {
        break;
      }
      n += nodes(a, limit - n);
    }
    return n;
  }

  /** Whether there is a filter at all. */
  public boolean filters() {
    return generatedFilter || rest != null;
  }

  /** The generated source, or null when every part runs on the kernels. */
  public String source() {
    return compiled == null ? null : compiled.source();
  }

  /**
   * Narrows {@code context}, which selects every row of its batch, to the rows that pass the filter, written to
   * {@code selection} (at least as long as the batch).
   */
  public EvalContext filter(EvalContext context, int[] selection) {
    EvalContext current = context;
    if (generatedFilter) {
      compiled.ran();
      int kept = body.filter(context.batch(), context.count(), selection);
      current = new EvalContext(context.batch(), selection, kept, context.allocator(), context.processingTimeMs());
    }
    if (rest != null && current.count() > 0) {
      current = rest.apply(current, selection);
    }
    return current;
  }

  /** The projections over the rows of {@code context}, one new dense vector each, owned by the caller. */
  public List<FieldVector> project(EvalContext context) {
    int n = context.count();
    List<FieldVector> columns = new ArrayList<>(kernels.size());
    FieldVector[] generated = new FieldVector[generatedTypes.size()];
    try {
      for (int k = 0; k < generated.length; k++) {
        generated[k] = Vectors.allocate(generatedTypes.get(k), n, context.allocator());
      }
      if (generated.length > 0) {
        compiled.ran();
        body.project(context.batch(), context.selection(), n, generated);
      }
      int next = 0;
      for (VectorExpr kernel : kernels) {
        if (kernel == null) {
          FieldVector v = generated[next];
          generated[next++] = null;
          v.setValueCount(n);
          columns.add(v);
        } else {
          FieldVector v = kernel.evaluate(context);
          columns.add(kernel.isConstant() ? ConstantVectors.expand(v, kernel.type(), context) : v);
        }
      }
      return columns;
    } catch (RuntimeException | Error e) {
      columns.forEach(FieldVector::close);
      for (FieldVector v : generated) {
        if (v != null) {
          v.close();
        }
      }
      throw e;
    }
  }
}
