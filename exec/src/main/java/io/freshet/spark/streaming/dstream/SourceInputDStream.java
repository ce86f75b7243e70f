package io.freshet.spark.streaming.dstream;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.ConnectorContext;
import io.freshet.exec.connector.ConnectorOptions;
import io.freshet.exec.connector.ConnectorRegistry;
import io.freshet.exec.connector.SharedResources;
import io.freshet.exec.connector.SourceProvider;
import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.StreamingContext;
import io.freshet.spark.streaming.Time;
import io.freshet.exec.connector.Source;
import io.freshet.exec.engine.QueryDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An input read by one of Freshet's connectors (socket, file, Kafka): the engine reads the connector's offset
 * range of each batch, as for a SQL query, and this stream turns each of its Arrow batches into a partition of
 * the batch's RDD.
 */
public class SourceInputDStream<T> extends InputDStream<T> {
  private final String name;
  private final String connector;
  private final Map<String, String> options;
  private final transient Function<Batch, List<T>> convert;
  private final transient Map<Time, RDD<T>> offered = new HashMap<>();

  public SourceInputDStream(StreamingContext ssc, String connector, Map<String, String> options,
      Function<Batch, List<T>> convert) {
    super(ssc);
    this.name = connector + "-" + ssc.nextInputId();
    this.connector = connector;
    this.options = Map.copyOf(options);
    this.convert = convert;
  }

  /**
   * An input read by a source of its own, made by {@link #createSource} when the context starts (named
   * {@code kind} and a number in the checkpoint); {@link #toRdd} makes each batch's RDD from its batches.
   */
  protected SourceInputDStream(StreamingContext ssc, String kind) {
    super(ssc);
    this.name = kind + "-" + ssc.nextInputId();
    this.connector = kind;
    this.options = Map.of();
    this.convert = null;
  }

  /**
   * The source of an input that has one of its own (see the protected constructor), made with the connector SPI's
   * context: an allocator of its own and its directory in the checkpoint (no options).
   */
  protected Source createSource(ConnectorContext context) {
    throw new UnsupportedOperationException(name + " reads connector " + connector);
  }

  public String name() {
    return name;
  }

  /** How the engine reads this input: the connector found by its name, with this input's checkpoint directory. */
  public QueryDefinition.SourceBinding binding(ConnectorRegistry registry, SharedResources resources) {
    if (convert == null) {
      return new QueryDefinition.SourceBinding(name, run -> createSource(new ConnectorContext(
          new ConnectorOptions(connector, name, Map.of(), List.of()), null, run.childAllocator("source-" + name),
          resources, System.out, run.queryId().toString(), run.connectorDirectory("sources", name))));
    }
    SourceProvider provider = registry.source(connector);
    ConnectorOptions checked = new ConnectorOptions(connector, name, options, provider.options());
    return new QueryDefinition.SourceBinding(name, run -> provider.create(new ConnectorContext(checked, null,
        run.childAllocator("source-" + name), resources, System.out, run.queryId().toString(),
        run.connectorDirectory("sources", name))));
  }

  /** The engine's batches of this input for batch time {@code time}, as this stream's RDD then. */
  public void offer(Time time, List<Batch> batches) {
    RDD<T> rdd = toRdd(time, batches == null ? List.of() : batches);
    recordBatchSize(rdd.count());
    offered.put(time, rdd);
    forgetUnused(offered, time);
  }

  /** The RDD of batch {@code time} from the source's batches of it: a partition per batch, as converted. */
  protected RDD<T> toRdd(Time time, List<Batch> batches) {
    List<List<T>> partitions = new ArrayList<>();
    for (Batch b : batches) {
      partitions.add(convert.apply(b));
    }
    return new RDD<>(partitions);
  }

  @Override
  protected RDD<T> compute(Time validTime) {
    RDD<T> rdd = offered.remove(validTime);
    return rdd == null ? RDD.empty() : rdd;
  }

  /** The lines of a text input's {@code value} column. */
  public static List<String> lines(Batch batch) {
    org.apache.arrow.vector.VarCharVector v = (org.apache.arrow.vector.VarCharVector) batch.vector(0);
    List<String> out = new ArrayList<>(batch.rowCount());
    for (int i = 0; i < batch.rowCount(); i++) {
      out.add(v.isNull(i) ? null : new String(v.get(i), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }

  /** The (byte offset, line) of a text input read with a line offset column before its value column. */
  public static List<scala.Tuple2<io.freshet.hadoop.io.LongWritable, io.freshet.hadoop.io.Text>> offsetLines(
      Batch batch) {
    org.apache.arrow.vector.BigIntVector offsets = (org.apache.arrow.vector.BigIntVector) batch.vector(0);
    org.apache.arrow.vector.VarCharVector v = (org.apache.arrow.vector.VarCharVector) batch.vector(1);
    List<scala.Tuple2<io.freshet.hadoop.io.LongWritable, io.freshet.hadoop.io.Text>> out =
        new ArrayList<>(batch.rowCount());
    for (int i = 0; i < batch.rowCount(); i++) {
      out.add(new scala.Tuple2<>(new io.freshet.hadoop.io.LongWritable(offsets.get(i)),
          new io.freshet.hadoop.io.Text(v.get(i))));
    }
    return out;
  }
}
