package io.freshet.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.util.Cursor;

/**
 * A result set whose {@code next()} may wait for a running query: it reports a query that failed meanwhile, or
 * whose timeout passed, as an SQLException with Freshet's message ({@link SQLTimeoutException} for the timeout),
 * and {@code Statement.cancel()} stops its query at once, even while another thread waits in {@code next()}.
 */
final class FreshetResultSet extends AvaticaResultSet {

  FreshetResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
      ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    super(statement, state, signature, metaData, timeZone, firstFrame);
  }

  @Override
  public boolean next() throws SQLException {
    try {
      return super.next();
    } catch (StreamingRows.QueryTimeout e) {
      throw new SQLTimeoutException(e.getMessage(), "HYT00", e);
    } catch (AvaticaRuntimeException e) {
      throw new SQLException(e.getErrorMessage(), e.getSqlState(), e.getErrorCode(), e);
    } catch (AvaticaSqlException e) {
      throw e;
    } catch (RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.toString();
      throw new SQLException(message, e instanceof io.freshet.streaming.FreshetException f
          && f.kind() == io.freshet.streaming.FreshetException.Kind.USER ? Errors.USER_STATE : Errors.SYSTEM_STATE,
          e);
    }
  }

  /** Called by {@code Statement.cancel()}: stops the query, which ends the rows of a {@code next()} waiting. */
  @Override
  protected void cancel() {
    super.cancel();
    Cursor c = cursor;
    if (c != null) {
      c.close();
    }
  }
}
