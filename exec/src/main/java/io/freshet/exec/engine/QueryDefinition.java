package io.freshet.exec.engine;

import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.operator.Operator;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything the engine needs to run a query, made at plan time and immutable: the sources, the operator
 * pipeline and the sink, each as a factory that the engine calls at every start with the run's resources.
 *
 * @param name the query name, or null
 * @param checkpointLocation the checkpoint directory, or null for a temporary one deleted when the query stops
 * @param lateSink where rows dropped as late go (in the batch that dropped them, exactly once), or null
 * @param clock processing time in milliseconds, by which inputs become idle; null for the system clock. A
 *     {@link ManualClock} also drives a processing-time trigger
 * @param job when not null, computes each batch instead of the pipeline and sink (which may then be null), and a
 *     batch runs at every trigger, with or without new data, as a DStream program expects
 */
public record QueryDefinition(
    String name,
    Path checkpointLocation,
    Trigger trigger,
    OutputMode outputMode,
    List<SourceBinding> sources,
    Function<RunContext, List<Operator>> pipeline,
    Function<RunContext, Sink> sink,
    String sinkDescription,
    Function<RunContext, Sink> lateSink,
    LongSupplier clock,
    BatchJob job) {

  /**
   * A named input of the query; the name keys its offsets in the checkpoint. {@code watermark}, when not null,
   * is the TIMESTAMP expression over the source's rows whose largest value is the stream's watermark (the DDL's
   * {@code WATERMARK FOR ts AS ts - INTERVAL ...}). A source that has given no rows for {@code idleTimeoutMs}
   * (0: never) is idle and stops holding back the query's watermark, the minimum over its inputs, until it gives
   * rows again; when every input is idle the watermark stays where it is.
   */
  public record SourceBinding(String name, Function<RunContext, Source> factory, Expr watermark,
      long idleTimeoutMs) {
    public SourceBinding(String name, Function<RunContext, Source> factory) {
      this(name, factory, null, 0);
    }
  }

  public QueryDefinition(String name, Path checkpointLocation, Trigger trigger, OutputMode outputMode,
      List<SourceBinding> sources, Function<RunContext, List<Operator>> pipeline, Function<RunContext, Sink> sink,
      String sinkDescription) {
    this(name, checkpointLocation, trigger, outputMode, sources, pipeline, sink, sinkDescription, null, null, null);
  }

  public QueryDefinition(String name, Path checkpointLocation, Trigger trigger, OutputMode outputMode,
      List<SourceBinding> sources, Function<RunContext, List<Operator>> pipeline, Function<RunContext, Sink> sink,
      String sinkDescription, Function<RunContext, Sink> lateSink, LongSupplier clock) {
    this(name, checkpointLocation, trigger, outputMode, sources, pipeline, sink, sinkDescription, lateSink, clock,
        null);
  }

  public QueryDefinition {
    if (clock == null) {
      clock = System::currentTimeMillis;
    }
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a query needs at least one source");
    }
  }
}
