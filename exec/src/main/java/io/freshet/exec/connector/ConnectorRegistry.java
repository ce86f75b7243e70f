package io.freshet.exec.connector;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Spelling;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
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
      throw unknownSource(name);
    }
    return p;
  }

  public SinkProvider sink(String name) {
    SinkProvider p = sinks.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw unknownSink(name);
    }
    return p;
  }

  /** The error for a source connector that is not on the class path, listing those that are. */
  public FreshetException unknownSource(String name) {
    return FreshetException.user("Unknown source connector '" + name + "'"
        + Spelling.didYouMean(name, sources.keySet()) + "; sources are: " + String.join(", ", sources.keySet()));
  }

  /** The error for a sink connector that is not on the class path, listing those that are. */
  public FreshetException unknownSink(String name) {
    return FreshetException.user("Unknown sink connector '" + name + "'"
        + Spelling.didYouMean(name, sinks.keySet()) + "; sinks are: " + String.join(", ", sinks.keySet()));
  }

  public Set<String> sourceNames() {
    return sources.keySet();
  }

  public Set<String> sinkNames() {
    return sinks.keySet();
  }

  public boolean hasSource(String name) {
    return sources.containsKey(name.toLowerCase(Locale.ROOT));
  }

  public boolean hasSink(String name) {
    return sinks.containsKey(name.toLowerCase(Locale.ROOT));
  }
}
