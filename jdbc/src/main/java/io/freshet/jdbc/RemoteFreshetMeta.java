package io.freshet.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.Service;
import org.apache.calcite.avatica.remote.TypedValue;

/**
 * The client side of a remote connection: Avatica's {@code RemoteMeta}, which sends each call to the server, except
 * that a running SELECT's rows are read through {@link StreamingRows} (nothing fetched before the first
 * {@code next()}; max rows, query timeout and cancel stop the query) instead of Avatica's fetch loop. To stop a
 * query it closes the statement on the server, which stops the query and keeps the statement usable.
 */
final class RemoteFreshetMeta implements InvocationHandler {
  private final Meta remote;
  private final AvaticaConnection connection;
  private final Service service;

  private RemoteFreshetMeta(Meta remote, AvaticaConnection connection, Service service) {
    this.remote = remote;
    this.connection = connection;
    this.service = service;
  }

  /** Avatica's remote meta with Freshet's reading of rows. */
  static Meta wrap(Meta remote, AvaticaConnection connection, Service service) {
    return (Meta) Proxy.newProxyInstance(Meta.class.getClassLoader(), new Class<?>[] {Meta.class},
        new RemoteFreshetMeta(remote, connection, service));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("createIterable") && args != null && args.length == 5) {
      return createIterable((Meta.StatementHandle) args[0], (Meta.Signature) args[2], (Meta.Frame) args[4],
          (QueryState) args[1], castValues(args[3]));
    }
    if (method.getDeclaringClass() == Object.class) {
      return method.invoke(this, args);
    }
    try {
      return method.invoke(remote, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<TypedValue> castValues(Object values) {
    return (List<TypedValue>) values;
  }

  private Iterable<Object> createIterable(Meta.StatementHandle h, Meta.Signature signature, Meta.Frame firstFrame,
      QueryState state, List<TypedValue> values) {
    if (firstFrame != null && firstFrame.done) {
      return firstFrame.rows;
    }
    return new StreamingRows(connection.statementMap.get(h.id), firstFrame,
        (offset, max) -> remote.fetch(h, offset, max), () -> stop(h));
  }

  /** Closes the statement on the server, which stops its query; a server that is gone has nothing to stop. */
  private void stop(Meta.StatementHandle h) {
    try {
      service.apply(new Service.CloseStatementRequest(h.connectionId, h.id));
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RemoteFreshetMeta.class).debug("Stopping a query on the server: {}",
          e.getMessage());
    }
  }
}
