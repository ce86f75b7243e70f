package io.freshet.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.Driver;

/**
 * {@code jdbc:freshet:remote:url=http://host:port}: Avatica's remote driver, speaking its JSON protocol to
 * {@code bin/freshet server}, with Freshet's streaming result sets ({@link RemoteFreshetMeta}). The JDBC
 * {@code user} and {@code password} properties log in with HTTP BASIC, as Avatica's {@code avatica_user} and
 * {@code avatica_password} do. {@link FreshetDriver} hands it these URLs; it is not registered itself.
 */
final class RemoteDriver extends Driver {
  static final String PREFIX = "jdbc:freshet:remote:";

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Freshet JDBC driver (remote)", FreshetDriver.VERSION, "Freshet",
        FreshetDriver.VERSION, true, 0, 1, 0, 1);
  }

  @Override
  protected AvaticaFactory createFactory() {
    return FreshetDriver.factory(this);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    Properties props = new Properties();
    // user=...;password=... may also be written in the URL, after the server's address, as Avatica allows.
    String[] parts = url.split(";");
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      String key = eq < 0 ? "" : parts[i].substring(0, eq).trim();
      if (key.equals("user") || key.equals("password")) {
        props.setProperty(key, parts[i].substring(eq + 1));
      }
    }
    if (info != null) {
      props.putAll(info);
    }
    String user = props.getProperty("user");
    if (user != null && props.getProperty("avatica_user") == null) {
      props.setProperty("avatica_user", user);
      props.setProperty("avatica_password", props.getProperty("password", ""));
    }
    if (props.getProperty("avatica_user") != null && props.getProperty("authentication") == null) {
      props.setProperty("authentication", "BASIC");
    }
    props.remove("password");
    try {
      return super.connect(url, props);
    } catch (RuntimeException e) {
      throw new SQLException(RemoteErrors.describe(RemoteErrors.withoutPassword(url), e), Errors.SYSTEM_STATE, e);
    }
  }

  @Override
  public Meta createMeta(AvaticaConnection connection) {
    Meta avatica = super.createMeta(connection);
    return RemoteFreshetMeta.wrap(avatica, connection, connection.getService());
  }
}
