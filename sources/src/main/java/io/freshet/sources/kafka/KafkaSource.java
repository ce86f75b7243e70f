package io.freshet.sources.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.exec.connector.CheckpointFiles;
import io.freshet.exec.format.DecodedBatches;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.RecordDecoder;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Kafka partitions by offset ranges. An offset is {@code {"topic":{"partition":next offset}}}, as in Spark.
 * The offsets a query starts from are resolved once and written to {@code initial} in the source's checkpoint
 * directory, so a re-run of the first batch reads the same records even with {@code startingOffsets = latest}.
 * A partition that appears later is read from its start. Records deleted before they were read (retention), also
 * those of a new partition deleted before the query first listed it, or a partition that disappears (a deleted
 * topic), fail the query unless {@code failOnDataLoss} is false. The consumer reads committed records only
 * (isolation.level read_committed) unless a {@code kafka.isolation.level} says otherwise.
 */
final class KafkaSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
  private static final int BATCH_ROWS = 8192;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long READ_TIMEOUT_MS = 120_000;
  private static final TypeReference<TreeMap<String, TreeMap<Integer, Long>>> OFFSETS = new TypeReference<>() { };

  record Settings(String bootstrap, Map<String, String> consumerSettings, List<String> topics, String pattern,
      String assign, String startingOffsets, boolean bounded, long maxOffsetsPerTrigger, boolean failOnDataLoss) { }

  private final Settings settings;
  private final RowSchema schema;
  private final FormatOptions format;
  private final Set<String> metadata;
  private final Path initialFile;
  private final BufferAllocator allocator;
  private final Map<String, Object> consumerConfig;
  private KafkaConsumer<byte[], byte[]> consumer;
  private final Pattern pattern;

  private Map<TopicPartition, Long> initial;
  private Map<TopicPartition, Long> current;
  private Map<TopicPartition, Long> boundedEnd;
  /** The end offsets available when an available-now limit was set (empty: take them at the next listing). */
  private Map<TopicPartition, Long> availableNowEnd;
  private long malformedInBatch;
  /** Whether a batch is its offset ranges (for the DStream API's direct stream) rather than decoded records. */
  private final boolean rangesOnly;
  /** At most this many records per partition in a batch (the direct stream's rate limit); -1 for no limit. */
  private volatile KafkaRanges.PartitionLimit perPartitionLimit;
  /** For the once trigger: maxOffsetsPerTrigger and the per-partition limit no longer apply. */
  private boolean unlimited;

  /** The columns of a batch of offset ranges: one row per partition with records in the batch. */
  static final RowSchema RANGES = RowSchema.of(
      io.freshet.exec.types.Column.of("topic", io.freshet.exec.types.TypeKind.VARCHAR),
      io.freshet.exec.types.Column.of("partition", io.freshet.exec.types.TypeKind.INT),
      io.freshet.exec.types.Column.of("fromOffset", io.freshet.exec.types.TypeKind.BIGINT),
      io.freshet.exec.types.Column.of("untilOffset", io.freshet.exec.types.TypeKind.BIGINT));

  KafkaSource(Settings settings, RowSchema schema, FormatOptions format, Set<String> metadata, Path checkpointDir,
      BufferAllocator allocator) {
    this(settings, schema, format, metadata, checkpointDir, allocator, false);
    new RecordDecoder(schema, format, allocator, 1, metadata).close(); // checks the columns against the format now
  }

  /**
   * A source whose batches are the offset ranges of each partition rather than records: the DStream API's direct
   * stream reads the records of those ranges itself, with the program's deserializers. {@code perPartitionLimit}
   * gives, from each partition's backlog, the most records a partition may have in the next batch (rate limits),
   * or null for no limit.
   */
  static KafkaSource offsetRanges(Settings settings, Path checkpointDir, BufferAllocator allocator) {
    return new KafkaSource(settings, RANGES, null, Set.of(), checkpointDir, allocator, true);
  }

  void limitPerPartition(KafkaRanges.PartitionLimit limit) {
    this.perPartitionLimit = limit;
  }

  private KafkaSource(Settings settings, RowSchema schema, FormatOptions format, Set<String> metadata,
      Path checkpointDir, BufferAllocator allocator, boolean rangesOnly) {
    this.settings = settings;
    this.schema = schema;
    this.format = format;
    this.metadata = metadata;
    this.rangesOnly = rangesOnly;
    this.initialFile = checkpointDir.resolve("initial");
    this.allocator = allocator;
    this.pattern = settings.pattern().isBlank() ? null : Pattern.compile(settings.pattern());
    Map<String, Object> config = new HashMap<>(settings.consumerSettings());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumerConfig = config;
    this.consumer = new KafkaConsumer<>(config);
  }

  // ---------------------------------------------------------------- offsets

  static Offset toOffset(Map<TopicPartition, Long> positions) {
    TreeMap<String, TreeMap<Integer, Long>> json = new TreeMap<>();
    positions.forEach((tp, o) -> json.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), o));
    return new Offset(Json.write(json, false));
  }

  static Map<TopicPartition, Long> fromJson(String text, String what) {
    try {
      Map<TopicPartition, Long> positions = new HashMap<>();
      Json.MAPPER.readValue(text, OFFSETS).forEach((topic, parts) -> parts.forEach((p, o) ->
          positions.put(new TopicPartition(topic, p), o)));
      return positions;
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Not Kafka offsets (" + what + "): '" + text + "'; expected JSON such as "
          + "{\"topic\":{\"0\":23}}", e);
    }
  }

  /** The partitions named by option {@code assign}, JSON such as {@code {"topic":[0,1]}}. */
  static List<TopicPartition> assigned(String assign) {
    List<TopicPartition> found = new ArrayList<>();
    try {
      Map<String, List<Integer>> assigned = Json.MAPPER.readValue(assign,
          new TypeReference<TreeMap<String, List<Integer>>>() { });
      assigned.forEach((t, ps) -> ps.forEach(p -> found.add(new TopicPartition(t, p))));
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Option 'assign' of the Kafka source must be JSON such as {\"topic\":[0,1]}, "
          + "got '" + assign + "'", e);
    }
    return found;
  }

  private List<TopicPartition> partitions() {
    if (!settings.assign().isBlank()) {
      return assigned(settings.assign());
    }
    List<TopicPartition> found = new ArrayList<>();
    // listTopics asks the brokers each time; partitionsFor may answer from a cache that still holds deleted topics.
    consumer.listTopics(Duration.ofSeconds(30)).forEach((t, infos) -> {
      if (pattern != null ? pattern.matcher(t).matches() : settings.topics().contains(t)) {
        infos.forEach(i -> found.add(new TopicPartition(t, i.partition())));
      }
    });
    return found;
  }

  /** The offsets to start from: read from the checkpoint, or resolved from startingOffsets and written there. */
  private Map<TopicPartition, Long> initial(List<TopicPartition> partitions) {
    if (initial != null) {
      return initial;
    }
    if (Files.exists(initialFile)) {
      String text;
      try {
        text = CheckpointFiles.readString(initialFile);
      } catch (CheckpointFiles.Damaged e) {
        throw e.withAdvice("It holds the offsets the query started from; restore it from a backup, or start the "
            + "query with a new checkpoint location");
      }
      if (!text.startsWith("v1\n")) {
        throw FreshetException.user("The Kafka source's initial offsets " + initialFile + " have no version line; "
            + "restore the file from a backup, or start the query with a new checkpoint location");
      }
      initial = fromJson(text.substring(3), initialFile.toString());
      return initial;
    }
    String starting = settings.startingOffsets().trim();
    Map<TopicPartition, Long> resolved = new HashMap<>();
    Map<TopicPartition, Long> earliest = offsets(partitions, false);
    Map<TopicPartition, Long> latest = offsets(partitions, true);
    Map<TopicPartition, Long> given = starting.equalsIgnoreCase("earliest") || starting.equalsIgnoreCase("latest")
        ? Map.of() : fromJson(starting, "option startingOffsets");
    for (TopicPartition tp : partitions) {
      long o = starting.equalsIgnoreCase("earliest") ? -2 : starting.equalsIgnoreCase("latest") ? -1
          : given.getOrDefault(tp, -2L);
      resolved.put(tp, o == -2 ? earliest.get(tp) : o == -1 ? latest.get(tp) : o);
    }
    CheckpointFiles.write(initialFile, ("v1\n" + toOffset(resolved).json()).getBytes(StandardCharsets.UTF_8));
    initial = resolved;
    return initial;
  }

  /**
   * The first or next offsets of partitions. After a timeout the consumer is replaced: one that had a partition
   * assigned can keep stale metadata of a topic deleted since.
   */
  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, boolean end) {
    try {
      return end ? consumer.endOffsets(partitions, Duration.ofSeconds(10))
          : consumer.beginningOffsets(partitions, Duration.ofSeconds(10));
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      consumer.close(Duration.ofSeconds(5));
      consumer = new KafkaConsumer<>(consumerConfig);
      throw e;
    }
  }

  @Override
  public RowSchema schema() {
    return schema;
  }

  @Override
  public void restore(Offset last) {
    current = fromJson(last.json(), "the offset log");
  }

  @Override
  public Offset latestOffset() {
    for (int attempt = 1; ; attempt++) {
      try {
        return nextOffset();
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        // A topic deleted between the listing and the offsets request never answers: list again and retry.
        if (attempt < 3) {
          LOG.warn("Kafka did not give offsets for {} in time; listing the partitions again", description());
          continue;
        }
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Kafka did not answer " + description()
            + " in time (" + e.getMessage() + "); is the broker at " + settings.bootstrap() + " reachable, and do "
            + "the topics exist?", e);
      }
    }
  }

  private Offset nextOffset() {
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, Long> from = new HashMap<>(current != null ? current : initial(partitions));
    for (TopicPartition tp : new ArrayList<>(from.keySet())) {
      if (!partitions.contains(tp) && settings.assign().isBlank()) {
        if (settings.failOnDataLoss()) {
          throw FreshetException.user("Kafka partition " + tp + " is gone (was the topic deleted?) with records "
              + "from offset " + from.get(tp) + " not read; set 'failOnDataLoss' to false to go on without it");
        }
        LOG.warn("Kafka partition {} is gone; going on without it (failOnDataLoss is false)", tp);
        from.remove(tp);
      }
    }
    for (TopicPartition tp : partitions) {
      from.putIfAbsent(tp, 0L); // a partition that appeared after the start: read from its beginning
    }
    Map<TopicPartition, Long> end = offsets(partitions, true);
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      long at = from.getOrDefault(e.getKey(), 0L);
      if (e.getValue() < at) {
        // The partition holds fewer records than were read: it was deleted and created again, or truncated.
        if (settings.failOnDataLoss()) {
          throw FreshetException.user("Kafka partition " + e.getKey() + " ends at offset " + e.getValue() + " but "
              + "this query read up to " + at + " (was the topic deleted and created again?); set 'failOnDataLoss' "
              + "to false to read it again from its start");
        }
        LOG.warn("Kafka partition {} ends at {} below the {} read; reading it from its start", e.getKey(),
            e.getValue(), at);
        from.put(e.getKey(), 0L);
      }
    }
    if (settings.bounded()) {
      if (boundedEnd == null) {
        boundedEnd = new HashMap<>(end);
      }
      end.replaceAll((tp, o) -> Math.min(o, boundedEnd.getOrDefault(tp, o)));
    }
    if (availableNowEnd != null) {
      if (availableNowEnd.isEmpty()) {
        availableNowEnd = new HashMap<>(end);
      }
      // A partition first listed after the limit was set (its records may have been there, and the listing
      // late) is held at its end when first seen.
      end.forEach(availableNowEnd::putIfAbsent);
      end.replaceAll((tp, o) -> Math.min(o, availableNowEnd.get(tp)));
    }
    Map<TopicPartition, Long> next = limit(from, end);
    if (current == null) {
      // Nothing read yet: the initial positions are in the checkpoint; a first offset needs records past them.
      if (next.equals(from)) {
        return null;
      }
    } else if (next.equals(current)) {
      return toOffset(current);
    }
    current = next;
    return toOffset(next);
  }

  /** The end offsets for the next batch: everything available, or maxOffsetsPerTrigger shared by backlog. */
  private Map<TopicPartition, Long> limit(Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
    Map<TopicPartition, Long> next = new HashMap<>(from);
    long backlog = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      backlog += Math.max(0, e.getValue() - from.getOrDefault(e.getKey(), 0L));
    }
    var perPartition = perPartitionLimit;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      long start = from.getOrDefault(e.getKey(), 0L);
      long available = Math.max(0, e.getValue() - start);
      long take = unlimited || backlog <= settings.maxOffsetsPerTrigger() ? available
          : Math.min(available, Math.max(1, (long) ((double) available * settings.maxOffsetsPerTrigger() / backlog)));
      if (perPartition != null && !unlimited) {
        take = Math.min(take, perPartition.maxRecords(e.getKey(), available, backlog));
      }
      next.put(e.getKey(), Math.max(start, start + take));
    }
    return next;
  }

  @Override
  public boolean isExhausted(Offset offset) {
    if (!settings.bounded()) {
      return false;
    }
    if (boundedEnd == null) {
      List<TopicPartition> partitions = partitions();
      initial(partitions);
      boundedEnd = new HashMap<>(offsets(partitions, true));
    }
    Map<TopicPartition, Long> at = offset == null ? initial(partitions())
        : fromJson(offset.json(), "the offset log");
    for (Map.Entry<TopicPartition, Long> e : boundedEnd.entrySet()) {
      if (at.getOrDefault(e.getKey(), 0L) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void prepareForAvailableNow() {
    availableNowEnd = Map.of(); // taken at the next listing: the end offsets then
  }

  @Override
  public void endAvailableNow() {
    availableNowEnd = null;
  }

  @Override
  public void ignoreBatchLimits() {
    unlimited = true;
  }

  // ---------------------------------------------------------------- reading

  @Override
  public Iterator<Batch> read(Offset start, Offset end) {
    Map<TopicPartition, Long> to = fromJson(end.json(), "the offset log");
    if (start == null && initial == null && !Files.exists(initialFile)) {
      // The first batch runs again after a restart: its start must be the one it was planned from, not one
      // resolved now (with startingOffsets 'latest', records would be skipped).
      throw FreshetException.user("Checkpoint file " + initialFile + " is missing: it holds the offsets the query "
          + "started from, and the first batch, which reads from them, runs again. Restore it from a backup, or "
          + "start the query with a new checkpoint location");
    }
    Map<TopicPartition, Long> from = start == null ? initial(new ArrayList<>(to.keySet()))
        : fromJson(start.json(), "the offset log");
    List<TopicPartition> ranges = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : new TreeMap<TopicPartition, Long>(
        java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)) {
      { putAll(to); } }.entrySet()) {
      if (!e.getValue().equals(from.getOrDefault(e.getKey(), 0L))) {
        ranges.add(e.getKey());
      }
    }
    malformedInBatch = 0;
    if (rangesOnly) {
      List<io.freshet.streaming.Row> rows = new ArrayList<>();
      for (TopicPartition tp : ranges) {
        rows.add(io.freshet.streaming.Row.of(tp.topic(), tp.partition(), from.getOrDefault(tp, 0L), to.get(tp)));
      }
      return List.of(io.freshet.exec.batch.BatchBuilder.of(RANGES, allocator, rows)).iterator();
    }
    return new Records(ranges, from, to);
  }

  /** Polls each partition's range in turn and decodes its records. */
  private final class Records extends DecodedBatches {
    private final List<TopicPartition> ranges;
    private final Map<TopicPartition, Long> from;
    private final Map<TopicPartition, Long> to;
    private final int keyColumn = schema.indexOf("key");
    private final int topicColumn = schema.indexOf("topic");
    private final int partitionColumn = schema.indexOf("partition");
    private final int offsetColumn = schema.indexOf("offset");
    private final int timestampColumn = schema.indexOf("timestamp");
    private int range = -1;
    private TopicPartition tp;
    private long endOffset;
    private Iterator<ConsumerRecord<byte[], byte[]>> polled = java.util.Collections.emptyIterator();
    private boolean rangeDone = true;
    private byte[] topicBytes;
    /** The record being decoded, for error messages. */
    private ConsumerRecord<byte[], byte[]> current;

    Records(List<TopicPartition> ranges, Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
      super(new RecordDecoder(schema, format, allocator, BATCH_ROWS, metadata), n -> malformedInBatch += n);
      this.ranges = ranges;
      this.from = from;
      this.to = to;
    }

    @Override
    protected Batch decode() {
      while (true) {
        if (rangeDone) {
          if (++range >= ranges.size()) {
            consumer.unsubscribe(); // keep no partition assigned between batches
            return decoder.flush();
          }
          startRange(ranges.get(range));
        }
        if (!polled.hasNext()) {
          if (consumer.position(tp) >= endOffset) {
            rangeDone = true;
            continue;
          }
          pollRange();
          continue;
        }
        ConsumerRecord<byte[], byte[]> r = polled.next();
        if (r.offset() >= endOffset) {
          rangeDone = true;
          polled = java.util.Collections.emptyIterator();
          continue;
        }
        decodeRecord(r);
        if (decoder.isFull()) {
          return decoder.flush();
        }
      }
    }

    @Override
    protected String source() {
      return "Kafka partition " + tp;
    }

    @Override
    public String describe() {
      return "topic " + current.topic() + ", partition " + current.partition() + ", offset " + current.offset();
    }

    private void startRange(TopicPartition partition) {
      tp = partition;
      topicBytes = tp.topic().getBytes(StandardCharsets.UTF_8);
      long start = from.getOrDefault(tp, 0L);
      endOffset = to.get(tp);
      if (start > endOffset) {
        start = 0; // the partition was created again and failOnDataLoss is false: read it from its start
      }
      long earliest = offsets(List.of(tp), false).get(tp);
      if (earliest > start) {
        // A partition that appeared after the query started is read from offset 0: records deleted before this
        // query first listed it (retention of old timestamps can take them within seconds) are lost as well.
        String appeared = from.containsKey(tp) ? "" : " (a partition that appeared after the query started, read "
            + "from its start)";
        if (settings.failOnDataLoss()) {
          throw FreshetException.user("Kafka records " + start + " to " + (earliest - 1) + " of " + tp + appeared
              + " were deleted (retention?) before this query read them; set 'failOnDataLoss' to false to skip "
              + "them");
        }
        LOG.warn("Kafka records {} to {} of {}{} were deleted before they were read; skipping them", start,
            earliest - 1, tp, appeared);
        start = Math.min(earliest, endOffset);
      }
      consumer.assign(List.of(tp));
      consumer.seek(tp, start);
      rangeDone = start >= endOffset;
      polled = java.util.Collections.emptyIterator();
    }

    private void pollRange() {
      long deadline = System.currentTimeMillis() + READ_TIMEOUT_MS;
      while (true) {
        List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(tp);
        if (!records.isEmpty()) {
          polled = records.iterator();
          return;
        }
        if (consumer.position(tp) >= endOffset) {
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new FreshetException(FreshetException.Kind.EXTERNAL, "Kafka gave no records of " + tp + " from "
              + "offset " + consumer.position(tp) + " (up to " + endOffset + ") for " + READ_TIMEOUT_MS / 1000
              + " s; is the broker reachable?");
        }
      }
    }

    private void decodeRecord(ConsumerRecord<byte[], byte[]> r) {
      if (keyColumn >= 0 && metadata.contains("key")) {
        decoder.externalString(keyColumn, r.key());
      }
      if (topicColumn >= 0 && metadata.contains("topic")) {
        decoder.externalString(topicColumn, topicBytes);
      }
      if (partitionColumn >= 0 && metadata.contains("partition")) {
        decoder.external(partitionColumn, r.partition());
      }
      if (offsetColumn >= 0 && metadata.contains("offset")) {
        decoder.external(offsetColumn, r.offset());
      }
      if (timestampColumn >= 0 && metadata.contains("timestamp")) {
        decoder.external(timestampColumn, r.timestamp());
      }
      byte[] value = r.value();
      current = r;
      decoder.decode(value, 0, value == null ? 0 : value.length, this);
    }
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numMalformedRows", Long.toString(malformedInBatch));
  }

  @Override
  public String description() {
    return "KafkaSource[" + (settings.topics().isEmpty() ? settings.pattern().isBlank() ? settings.assign()
        : settings.pattern() : String.join(",", settings.topics())) + "]";
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
