package io.freshet.exec.connector;

import io.freshet.streaming.FreshetException;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The source and sink connectors on the class path, found by ServiceLoader and looked up by name. */
public final class ConnectorRegistry {
  private final Map<String, SourceProvider> sources = new TreeMap<>();
  private final Map<String, SinkProvider> sinks = new TreeMap<>();

  public static ConnectorRegistry load() {
    ConnectorRegistry registry = new ConnectorRegistry();
    ClassLoader loader = ConnectorRegistry.class.getClassLoader();
    ServiceLoader.load(SourceProvider.class, loader).forEach(registry::register);
    ServiceLoader.load(SinkProvider.class, loader).forEach(registry::register);
    return registry;
  }

  public void register(SourceProvider provider) {
    sources.put(provider.name().toLowerCase(Locale.ROOT), provider);
  }

  public void register(SinkProvider provider) {
    sinks.put(provider.name().toLowerCase(Locale.ROOT), provider);
  }

  public SourceProvider source(String name) {
    SourceProvider p = sources.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw FreshetException.user("Unknown source connector '" + name + "'; available: "
          + String.join(", ", sources.keySet()));
    }
    return p;
  }

  public SinkProvider sink(String name) {
    SinkProvider p = sinks.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw FreshetException.user("Unknown sink connector '" + name + "'; available: "
          + String.join(", ", sinks.keySet()));
    }
    return p;
  }

  public boolean hasSource(String name) {
    return sources.containsKey(name.toLowerCase(Locale.ROOT));
  }

  public boolean hasSink(String name) {
    return sinks.containsKey(name.toLowerCase(Locale.ROOT));
  }
}
