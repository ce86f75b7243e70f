package io.freshet.exec.engine;

import io.freshet.exec.aggregate.KeyGroups;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.state.StateBackend;
import io.freshet.exec.plan.SourceSpec;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Everything the engine needs to run a query, made at plan time and immutable: the plan, and the sources and
 * the sink, each as a factory that the engine calls at every start with the run's resources.
 *
 * @param name the query name, or null
 * @param checkpointLocation the checkpoint directory, or null for a temporary one deleted when the query stops
 * @param plan what runs between the sources and the sink; null when {@code job} computes each batch
 * @param sources a binding for each source of the plan (or the job's inputs)
 * @param lateSink where rows dropped as late go (in the batch that dropped them, exactly once), or null
 * @param stateStore where stateful operators keep state that may outgrow memory
 * @param parallelism the number of partitions the plan runs in, each on a thread of its own (1 to
 *     {@link KeyGroups#COUNT}); a stateful node's input is exchanged by key between them
 * @param clock processing time in milliseconds, by which inputs become idle; null for the system clock. A
 *     {@link ManualClock} also drives a processing-time trigger
 * @param job when not null, computes each batch instead of the plan and sink (which are then null), and a batch
 *     runs at every trigger, with or without new data, as a DStream program expects
 * @param idleProgressIntervalMs while the query finds no new data, how often it reports an idle progress (the first
 *     idle trigger of a run always reports), as Spark's {@code spark.sql.streaming.noDataProgressEventInterval}
 */
public record QueryDefinition(
    String name,
    Path checkpointLocation,
    Trigger trigger,
    OutputMode outputMode,
    StreamPlan plan,
    List<SourceBinding> sources,
    Function<RunContext, Sink> sink,
    String sinkDescription,
    Function<RunContext, Sink> lateSink,
    StateBackend stateStore,
    int parallelism,
    LongSupplier clock,
    BatchJob job,
    long idleProgressIntervalMs) {

  /** How often an idle query reports progress unless told otherwise: every 10 s, as Spark. */
  public static final long DEFAULT_IDLE_PROGRESS_INTERVAL_MS = 10_000;

  /** A definition with the default idle progress interval. */
  public QueryDefinition(String name, Path checkpointLocation, Trigger trigger, OutputMode outputMode, StreamPlan plan,
      List<SourceBinding> sources, Function<RunContext, Sink> sink, String sinkDescription,
      Function<RunContext, Sink> lateSink, StateBackend stateStore, int parallelism, LongSupplier clock,
      BatchJob job) {
    this(name, checkpointLocation, trigger, outputMode, plan, sources, sink, sinkDescription, lateSink, stateStore,
        parallelism, clock, job, DEFAULT_IDLE_PROGRESS_INTERVAL_MS);
  }

  /** Opens the input that the plan (or the job) knows as {@code name}; the name keys its offsets. */
  public record SourceBinding(String name, Function<RunContext, Source> factory) {
  }

  /** A query that runs {@code plan} from its sources into {@code sink}, on the system clock. */
  public static QueryDefinition of(String name, Path checkpointLocation, Trigger trigger, OutputMode outputMode,
      StreamPlan plan, List<SourceBinding> sources, Function<RunContext, Sink> sink, String sinkDescription) {
    return new QueryDefinition(name, checkpointLocation, trigger, outputMode, plan, sources, sink, sinkDescription,
        null, StateBackend.MEMORY, 1, null, null);
  }

  public QueryDefinition {
    if (clock == null) {
      clock = System::currentTimeMillis;
    }
    if (stateStore == null) {
      stateStore = StateBackend.MEMORY;
    }
    if (plan != null) {
      plan = QueryEvolution.forCheckpoint(plan, checkpointLocation, stateStore.pagesToDisk());
    }
    if (idleProgressIntervalMs < 0) {
      throw new IllegalArgumentException("the idle progress interval must not be negative");
    }
    if (parallelism < 1 || parallelism > KeyGroups.COUNT) {
      throw new IllegalArgumentException("parallelism must be between 1 and " + KeyGroups.COUNT + ", not "
          + parallelism);
    }
    sources = List.copyOf(sources);
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("a query needs at least one source");
    }
    if ((plan == null) == (job == null)) {
      throw new IllegalArgumentException("a query runs a plan or a job, one of the two");
    }
    if (plan != null) {
      Set<String> bound = sources.stream().map(SourceBinding::name).collect(Collectors.toSet());
      Set<String> planned = plan.sources().stream().map(SourceSpec::name).collect(Collectors.toSet());
      if (!bound.equals(planned)) {
        throw new IllegalArgumentException("the plan reads " + planned + " but the sources bound are " + bound);
      }
    }
  }
}
