package io.freshet.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;

/**
 * The JDBC driver for {@code jdbc:freshet:} URLs, registered through {@code META-INF/services/java.sql.Driver}.
 * {@code jdbc:freshet:} (with properties such as {@code jdbc:freshet:parallelism=2;memory-limit=1g}) runs the
 * engine in this JVM; {@code jdbc:freshet:remote:url=http://host:port} talks to {@code bin/freshet server}
 * ({@link RemoteDriver}).
 */
public final class FreshetDriver extends UnregisteredDriver {
  public static final String PREFIX = "jdbc:freshet:";
  static final String VERSION = "0.1.0";
  private static final String AVATICA_FACTORY = "org.apache.calcite.avatica.AvaticaJdbc41Factory";

  static {
    new FreshetDriver().register();
  }

  private final RemoteDriver remote = new RemoteDriver();

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Freshet JDBC driver", VERSION, "Freshet", VERSION, true, 0, 1, 0, 1);
  }

  @Override
  protected AvaticaFactory createFactory() {
    return factory(this);
  }

  /** Avatica's JDBC objects with Freshet's result sets, for either driver. */
  static AvaticaFactory factory(UnregisteredDriver driver) {
    return new FreshetFactory(instantiateFactory(AVATICA_FACTORY));
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (url != null && url.startsWith(RemoteDriver.PREFIX)) {
      return remote.connect(url, info);
    }
    return super.connect(url, info);
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    Engine engine = Engine.acquire(((FreshetConnection) connection).properties());
    return new FreshetMeta(connection, engine);
  }
}
