package io.freshet.sources.nexmark;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One Nexmark stream. An offset is the number of events (of all three streams) generated so far, with the base
 * event time, so a range can be generated again exactly. A bounded stream ({@code events > 0}) makes all its
 * events available at once; an endless one, or a bounded one with {@code 'real-time' = 'true'}, releases
 * {@code events-per-second} events per second of wall time from the base time, each event once the clock has
 * passed its event time.
 */
final class NexmarkSource implements Source {

  /** The offset JSON: {@code {"baseTime": ms, "events": n}}. */
  record Position(long baseTime, long events) {
    Offset toOffset() {
      return new Offset(Json.write(this, false));
    }

    static Position of(Offset offset) {
      try {
        return Json.MAPPER.readValue(offset.json(), Position.class);
      } catch (JsonProcessingException e) {
        throw FreshetException.user("Not an offset of a nexmark stream: '" + offset.json() + "'", e);
      }
    }
  }

  private final NexmarkConfig config;
  private final NexmarkTable table;
  private final RowSchema schema;
  private final BufferAllocator allocator;
  private final NexmarkGenerator generator;
  private long baseTime = Long.MIN_VALUE;
  private long committedEvents;
  private long availableNowLimit = Long.MAX_VALUE;
  /** For the once trigger: max-events-per-batch no longer applies. */
  private boolean unlimited;

  NexmarkSource(NexmarkConfig config, NexmarkTable table, RowSchema schema, BufferAllocator allocator) {
    this.config = config;
    this.table = table;
    this.schema = schema;
    this.allocator = allocator;
    this.generator = new NexmarkGenerator(config.seed(), config.eventsPerSecond(), config.outOfOrderGroupSize());
  }

  @Override
  public RowSchema schema() {
    return schema;
  }

  @Override
  public Offset latestOffset() {
    long available = Math.min(availableNow(), availableNowLimit);
    if (!unlimited) {
      available = Math.min(available, committedEvents + config.maxEventsPerBatch());
    }
    return available == 0 ? null : new Position(baseTime, available).toOffset();
  }

  /** All events generated so far: every one when bounded, else as many as the wall clock has released. */
  private long availableNow() {
    long now = System.currentTimeMillis();
    if (baseTime == Long.MIN_VALUE) {
      baseTime = config.baseTimeMs() != null ? config.baseTimeMs() : now;
    }
    if (config.events() > 0 && !config.realTime()) {
      return config.events();
    }
    long released = (long) (Math.max(0, now - baseTime) * config.eventsPerSecond() / 1000.0);
    return config.events() > 0 ? Math.min(config.events(), released) : released;
  }

  @Override
  public void prepareForAvailableNow() {
    availableNowLimit = availableNow();
  }

  @Override
  public void endAvailableNow() {
    availableNowLimit = Long.MAX_VALUE;
  }

  @Override
  public void ignoreBatchLimits() {
    unlimited = true;
  }

  @Override
  public Iterator<Batch> read(Offset start, Offset end) {
    Position to = Position.of(end);
    long from = start == null ? 0 : Position.of(start).events();
    long base = to.baseTime();
    long eventsPerBatch = Math.max(1, (long) config.batchSize() * NexmarkTable.EPOCH / table.share());
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to.events();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long until = Math.min(to.events(), next + eventsPerBatch);
        Batch batch = generator.generateBatch(table, schema, base, next, until, allocator);
        next = until;
        return batch;
      }
    };
  }

  @Override
  public boolean isExhausted(Offset offset) {
    return config.events() > 0 && offset != null && Position.of(offset).events() >= config.events();
  }

  @Override
  public void commit(Offset end) {
    Position p = Position.of(end);
    baseTime = p.baseTime();
    committedEvents = p.events();
  }

  @Override
  public void restore(Offset committed) {
    commit(committed);
  }

  @Override
  public String description() {
    return "NexmarkSource[" + table.name().toLowerCase(Locale.ROOT) + "]";
  }
}
