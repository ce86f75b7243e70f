package io.freshet.sql;

import io.freshet.exec.expr.UserFunction;
import io.freshet.planner.Functions;
import io.freshet.sql.catalog.FunctionDefinition;
import io.freshet.sql.parser.SqlCreateFunction;
import io.freshet.sql.parser.SqlDropFunction;
import io.freshet.streaming.FreshetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CREATE FUNCTION and DROP FUNCTION: a user-defined scalar function is loaded and checked when it is declared (from
 * the jars of USING JAR, else from the classpath), and is the session's until dropped. A query that calls it is
 * planned from its SQL each time it starts, so a script that declares the function again resumes from its
 * checkpoint.
 */
final class FunctionStatements {
  private final FreshetSession session;

  FunctionStatements(FreshetSession session) {
    this.session = session;
  }

  StatementResult create(SqlCreateFunction c) {
    var catalog = session.catalog();
    if (catalog.function(c.name()) != null && !c.orReplace()) {
      if (c.ifNotExists()) {
        return new StatementResult.Message("Exists already: function " + c.name());
      }
      throw FreshetException.user("A function named '" + c.name() + "' already exists (" + c.position()
          + "); DROP FUNCTION " + c.name() + " first, or use CREATE OR REPLACE FUNCTION or IF NOT EXISTS");
    }
    if (Functions.names().stream().anyMatch(n -> n.equalsIgnoreCase(c.name()))) {
      throw FreshetException.user("'" + c.name() + "' is a built-in function (" + c.position() + "); give yours "
          + "another name (SHOW FUNCTIONS lists the built-in ones)");
    }
    ClassLoader loader = loader(c);
    String where = c.jars().isEmpty() ? "the classpath" : String.join(", ", c.jars());
    UserFunction function;
    try {
      function = UserFunction.load(c.name(), c.className(), loader, where);
    } catch (FreshetException e) {
      throw new FreshetException(e.kind(), e.getMessage() + " (" + c.position() + ")", e.getCause());
    }
    catalog.addFunction(new FunctionDefinition(c.name(), c.className(), c.jars(), function));
    return new StatementResult.Message("Created function " + c.name());
  }

  StatementResult drop(SqlDropFunction d) {
    FunctionDefinition removed = session.catalog().removeFunction(d.name());
    if (removed == null) {
      if (d.ifExists()) {
        return new StatementResult.Message("No function " + d.name() + " to drop");
      }
      List<String> names = session.catalog().functions().stream().map(FunctionDefinition::name).toList();
      throw FreshetException.user("No user-defined function named '" + d.name() + "' to drop; "
          + (names.isEmpty() ? "none is declared" : "declared: " + String.join(", ", names)));
    }
    return new StatementResult.Message("Dropped function " + removed.name());
  }

  /** A loader over the jars of USING JAR, each of which must exist; the session's own without any. */
  private static ClassLoader loader(SqlCreateFunction c) {
    ClassLoader parent = FunctionStatements.class.getClassLoader();
    if (c.jars().isEmpty()) {
      return parent;
    }
    List<URL> urls = new ArrayList<>();
    for (String jar : c.jars()) {
      Path path = Path.of(jar).toAbsolutePath();
      if (!Files.isRegularFile(path)) {
        throw FreshetException.user("Function " + c.name() + ": no jar file " + path + " (USING JAR at "
            + c.position() + "); give the path of an existing .jar");
      }
      try {
        urls.add(path.toUri().toURL());
      } catch (MalformedURLException e) {
        throw FreshetException.user("Function " + c.name() + ": '" + jar + "' is not a usable path", e);
      }
    }
    return new URLClassLoader("function " + c.name(), urls.toArray(new URL[0]), parent);
  }
}
