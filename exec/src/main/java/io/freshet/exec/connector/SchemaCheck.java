package io.freshet.exec.connector;

import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;

/** Checks a declared column list against a connector's own schema. */
public final class SchemaCheck {
  private SchemaCheck() { }

  /**
   * The declared schema when there is one (its names, matched to the connector's columns by position; the types
   * must agree), else the connector's own.
   *
   * @param table the declared stream's name, for messages (may be null)
   * @param what the connector's schema in words, e.g. "nexmark table 'bid'"
   */
  public static RowSchema declaredOrOwn(RowSchema declared, RowSchema own, String table, String what) {
    if (declared == null) {
      return own;
    }
    String subject = table == null ? "The stream" : "Stream '" + table + "'";
    if (declared.size() != own.size()) {
      throw FreshetException.user(subject + " declares " + declared.size() + " columns but " + what + " has "
          + own.size() + ": " + own + ". Declare all of them in this order, or leave the column list out");
    }
    for (int i = 0; i < own.size(); i++) {
      if (declared.type(i) != own.type(i)) {
        throw FreshetException.user(subject + " declares column " + (i + 1) + " as '" + declared.column(i) + "' but "
            + what + " gives " + own.column(i) + " there. Columns match by position: " + own);
      }
    }
    return declared;
  }

  public static RowSchema declaredOrOwn(ConnectorContext context, RowSchema own, String what) {
    return declaredOrOwn(context.declaredSchema(), own, context.options().table(), what);
  }
}
