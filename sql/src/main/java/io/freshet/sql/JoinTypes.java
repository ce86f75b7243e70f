package io.freshet.sql;

import io.freshet.streaming.FreshetException;
import java.util.Locale;
import org.apache.calcite.rel.core.JoinRelType;

/** Spark's join type names, as {@code Dataset.join} takes them. */
final class JoinTypes {
  private JoinTypes() {
  }

  static JoinRelType of(String name) {
    return switch (name.toLowerCase(Locale.ROOT).replace("_", "")) {
      case "inner" -> JoinRelType.INNER;
      case "left", "leftouter" -> JoinRelType.LEFT;
      case "right", "rightouter" -> JoinRelType.RIGHT;
      case "full", "outer", "fullouter" -> JoinRelType.FULL;
      case "semi", "leftsemi" -> JoinRelType.SEMI;
      case "anti", "leftanti" -> JoinRelType.ANTI;
      default -> throw FreshetException.user("Unknown join type '" + name + "'; use inner, left_outer, right_outer, "
          + "full_outer, left_semi or left_anti");
    };
  }
}
