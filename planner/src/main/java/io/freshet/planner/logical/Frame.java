package io.freshet.planner.logical;

import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.sql.SqlNode;

/**
 * A Dataset's query as the Java API built it, operation by operation over SQL queries: what {@link FrameBuilder}
 * turns into Calcite's logical plan, which the planner then plans as it plans SQL. Frames are compared by identity
 * ({@link Expression.DatasetRef} names the Dataset a column belongs to by its frame).
 */
public sealed interface Frame {

  /** The stream or table {@code name} of the catalog (not a view), as it is. */
  record Table(String name) implements Frame {
  }

  /**
   * A SQL query, as {@code sql(...)} gave it, with the views it reads expanded: parsed anew by each call of {@code
   * query}, as Calcite's validator rewrites the nodes it validates.
   */
  record Query(Supplier<SqlNode> query) implements Frame {
  }

  /** {@code select(...)}: the expressions, each a column of the result. */
  record Select(Frame input, List<Expression> columns) implements Frame {
    public Select {
      columns = List.copyOf(columns);
    }
  }

  /** {@code filter(...)} / {@code where(...)}: the rows for which the condition is true. */
  record Filter(Frame input, Expression condition) implements Frame {
  }

  /** {@code groupBy(keys).agg(aggregates)}: the keys (at most one a window), then the aggregates. */
  record Aggregate(Frame input, List<Expression> keys, List<Expression> aggregates) implements Frame {
    public Aggregate {
      keys = List.copyOf(keys);
      aggregates = List.copyOf(aggregates);
    }
  }

  /**
   * {@code join(...)}: on a condition (then all columns of both sides), or on columns both sides have ({@code using},
   * then those columns once, followed by the other columns of each side), as Spark's.
   */
  record Join(Frame left, Frame right, Expression condition, List<String> using, JoinRelType type) implements Frame {
    public Join {
      using = List.copyOf(using);
    }
  }

  /** {@code union(...)}: the rows of both, columns matched by position (UNION ALL). */
  record Union(Frame first, Frame second) implements Frame {
  }

  /** {@code dropDuplicates(columns)}: each key's first row by event time (every column when none is given). */
  record DropDuplicates(Frame input, List<String> columns) implements Frame {
    public DropDuplicates {
      columns = List.copyOf(columns);
    }
  }

  /**
   * {@code frame}, made of {@code original} by rewriting what it reads ({@code withWatermark} reads its stream under
   * another name): the columns of {@code original} are still its own, for {@code original}'s Dataset's
   * {@code col(...)}.
   */
  record Rewritten(Frame frame, Frame original) implements Frame {
  }

  /** {@code as(alias)}: the same rows, whose columns {@code alias.name} names. */
  record Alias(Frame input, String alias) implements Frame {
  }
}
