package io.freshet.sinks.blackhole;

import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.OptionSpec;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.SinkProvider;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.OutputMode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'blackhole'}: takes every row and keeps none, as Flink's blackhole connector; for measuring
 * a query without the cost of its output (the Nexmark suites write into it). The progress report still counts the
 * rows written.
 */
public final class BlackholeSinkProvider implements SinkProvider {

  @Override
  public String name() {
    return "blackhole";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of();
  }

  @Override
  public Set<OutputMode> supportedModes() {
    return EnumSet.allOf(OutputMode.class);
  }

  @Override
  public void validate(ConnectorOptions options, RowSchema declared) {
    // no options
  }

  @Override
  public Sink create(ConnectorContext context) {
    return new Sink() {
      @Override
      public BatchWriter beginBatch(long batchId, OutputMode mode) {
        return BatchWriter.DISCARD;
      }

      @Override
      public String description() {
        return "BlackholeSink";
      }
    };
  }
}
