package io.freshet.exec.connector;

import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import java.util.List;
import java.util.Set;

/** Makes sinks of one connector; found by {@link java.util.ServiceLoader} under its {@link #name()}. */
public interface SinkProvider {

  String name();

  List<OptionSpec> options();

  Set<OutputMode> supportedModes();

  /**
   * Checks the options and the declared columns (null when the table takes its columns from the first query
   * written into it) as {@link #create} will read them, so that CREATE refuses a bad value with the same message.
   * Reaches nothing outside the process.
   */
  void validate(ConnectorOptions options, RowSchema declared);

  Sink create(ConnectorContext context);
}
