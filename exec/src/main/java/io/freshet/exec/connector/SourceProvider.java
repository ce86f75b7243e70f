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

  /** Whether a stream with these options ends (and so a query over it finishes). */
  default boolean isBounded(ConnectorOptions options) {
    return false;
  }

  Source create(ConnectorContext context);
}
