package io.freshet.jdbc;

import java.util.Properties;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.UnregisteredDriver;

/** A connection of the Freshet driver; its driver reads the engine properties from it. */
final class FreshetConnection extends AvaticaConnection {

  FreshetConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
    super(driver, factory, url, info);
  }

  /** The connection's properties, from the URL and the {@code Properties} given to connect. */
  Properties properties() {
    return info;
  }
}
