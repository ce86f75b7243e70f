package io.freshet.sql.catalog;

import io.freshet.exec.expr.UserFunction;
import java.util.List;

/**
 * A user-defined function of the session: its name, the class that implements it, the jars of USING JAR (empty: the
 * classpath), and the loaded function.
 */
public record FunctionDefinition(String name, String className, List<String> jars, UserFunction function) {
  public FunctionDefinition {
    jars = List.copyOf(jars);
  }
}
