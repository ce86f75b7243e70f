package io.freshet.jdbc;

import io.freshet.streaming.FreshetException;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;

/**
 * Freshet's errors as Avatica passes them on, in process and over the wire alike: the message is Freshet's own
 * (what, where, what to do), the SQL state says whose fault it is — 42000 for a statement the user can fix, 58000
 * for a failure of the engine or of an external system — and the stack trace stays in the server's log.
 */
final class Errors {
  static final String USER_STATE = "42000";
  static final String SYSTEM_STATE = "58000";

  private Errors() {
  }

  /** {@code e} as the exception Avatica turns into the client's SQLException. */
  static AvaticaRuntimeException toAvatica(RuntimeException e) {
    if (e instanceof AvaticaRuntimeException a) {
      return a;
    }
    boolean users = e instanceof FreshetException f && f.kind() == FreshetException.Kind.USER;
    String message = e instanceof FreshetException || e.getMessage() != null ? e.getMessage() : e.toString();
    if (!(e instanceof FreshetException)) {
      org.slf4j.LoggerFactory.getLogger(Errors.class).error("Error in a JDBC request: {}", message, e);
      message = "Freshet failed: " + message + " (the server's log has the details)";
    }
    return new AvaticaRuntimeException(message, 0, users ? USER_STATE : SYSTEM_STATE, AvaticaSeverity.ERROR);
  }

  /**
   * {@code e} as an in-process connection passes it on: the kind of exception Avatica turns into an SQLException
   * that keeps the SQL state (a plain one would reach the client with none).
   */
  static AvaticaClientRuntimeException inProcess(RuntimeException e) {
    AvaticaRuntimeException a = toAvatica(e);
    return new AvaticaClientRuntimeException(a.getErrorMessage(), a.getErrorCode(), a.getSqlState(),
        AvaticaSeverity.ERROR, java.util.List.of(), null);
  }
}
