package io.freshet.exec.connector;

import io.freshet.streaming.OutputMode;
import java.util.List;
import java.util.Set;

/** Makes sinks of one connector; found by {@link java.util.ServiceLoader} under its {@link #name()}. */
public interface SinkProvider {

  String name();

  List<OptionSpec> options();

  Set<OutputMode> supportedModes();

  Sink create(ConnectorContext context);
}
