package io.freshet.exec.connector;

import io.freshet.exec.types.RowSchema;
import java.util.List;

/** Makes sources of one connector; found by {@link java.util.ServiceLoader} under its {@link #name()}. */
public interface SourceProvider {

  /** The value of {@code 'connector'} that selects this provider, e.g. {@code nexmark}. */
  String name();

  List<OptionSpec> options();

  /**
   * The connector's own schema for these options, used when a stream is declared without columns; null when
   * the connector has none and columns must be declared.
   */
  RowSchema defaultSchema(ConnectorOptions options);

  /**
   * Checks the options and the declared columns (null when none are declared) as {@link #create} will read them,
   * so that CREATE refuses a bad value with the same message instead of a query failing when it starts. Reaches
   * nothing outside the process (a broker, a server), but may look at the file system.
   */
  void validate(ConnectorOptions options, RowSchema declared);

  /** Whether a stream with these options ends (and so a query over it finishes). */
  default boolean isBounded(ConnectorOptions options) {
    return false;
  }

  Source create(ConnectorContext context);
}
