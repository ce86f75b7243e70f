package io.freshet.exec.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.BatchWriter;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Sink;
import io.freshet.exec.connector.Source;
import io.freshet.exec.expr.Vectors;
import io.freshet.exec.plan.Distribution;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.OutputMode;
import io.freshet.streaming.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;

/** Review check of PartitionFeeder.readSplits' read-ahead bound. */
class SplitReadAheadTest {
  private static final RowSchema SCHEMA = RowSchema.of(Column.of("n", TypeKind.BIGINT));
  private static final int PARTITIONS = 4;
  private static final int SPLITS = 40;

  private static Batch one(long n, BufferAllocator allocator) {
    BigIntVector v = (BigIntVector) Vectors.allocate(TypeKind.BIGINT, 1, allocator);
    v.set(0, n);
    v.setValueCount(1);
    return Batch.of(SCHEMA, List.<FieldVector>of(v), 1);
  }

  /** A split of one batch; {@code beforeFirst} runs before it is read, {@code after} once it is read. */
  private static Iterator<Batch> split(int j, BufferAllocator allocator, Runnable beforeFirst, Runnable after) {
    return new Iterator<>() {
      boolean done;
      boolean started;

      @Override
      public boolean hasNext() {
        if (!started) {
          started = true;
          beforeFirst.run();
        }
        if (done) {
          after.run();
        }
        return !done;
      }

      @Override
      public Batch next() {
        if (done) {
          throw new NoSuchElementException();
        }
        done = true;
        return one(j, allocator);
      }
    };
  }

  private static StreamExecution start(BufferAllocator root, IntFunction<List<Iterator<Batch>>> splits) {
    return start(root, splits, false);
  }

  private static StreamExecution start(BufferAllocator root, IntFunction<List<Iterator<Batch>>> splits,
      boolean sinkFails) {
    Source source = new Source() {
      @Override
      public RowSchema schema() {
        return SCHEMA;
      }

      @Override
      public Offset latestOffset() {
        return new Offset("1");
      }

      @Override
      public Iterator<Batch> read(Offset start, Offset end) {
        throw new AssertionError("read with several partitions");
      }

      @Override
      public List<Iterator<Batch>> readSplits(Offset start, Offset end) {
        return splits.apply(0);
      }

      @Override
      public void prepareForAvailableNow() {
      }

      @Override
      public void endAvailableNow() {
      }
    };
    StreamPlan.Builder plan = StreamPlan.builder();
    int rootNode = plan.node(new io.freshet.exec.operator.CalcOperator.Spec(null, List.of(new io.freshet.exec.expr.Expr.ColumnRef(0, TypeKind.BIGINT)), SCHEMA), Distribution.ANY,
        plan.source("s", SCHEMA, true, null, null, 0));
    Sink sink = (batchId, mode) -> new BatchWriter() {
      @Override
      public void write(Batch batch) {
        if (sinkFails) {
          throw new IllegalStateException("the sink breaks");
        }
      }

      @Override
      public void commit() {
      }

      @Override
      public void abort() {
      }
    };
    QueryDefinition definition = new QueryDefinition("splits", null, Trigger.ProcessingTime(0), OutputMode.APPEND,
        plan.build(rootNode), List.of(new QueryDefinition.SourceBinding("s", run -> source)), run -> sink, "test",
        null, null, PARTITIONS, System::currentTimeMillis, null);
    return StreamExecution.start(definition, root, q -> { }, q -> { });
  }

  @Test
  void aSlowFirstSplitLetsNoMoreThanTwiceTheReadersBeReadAheadOfIt() throws Exception {
    try (BufferAllocator allocator = new RootAllocator()) {
      AtomicInteger othersRead = new AtomicInteger();
      int[] readWhileFirstWaited = {-1};
      StreamExecution q = start(allocator, x -> {
        List<Iterator<Batch>> splits = new ArrayList<>();
        for (int j = 0; j < SPLITS; j++) {
          if (j == 0) {
            splits.add(split(0, allocator, () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
              while (othersRead.get() < SPLITS - 1 && System.nanoTime() < deadline) {
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  throw new RuntimeException(e);
                }
              }
              readWhileFirstWaited[0] = othersRead.get();
            }, () -> { }));
          } else {
            splits.add(split(j, allocator, () -> { }, othersRead::incrementAndGet));
          }
        }
        return splits;
      });
      try {
        q.processAllAvailable();
      } finally {
        q.stop();
      }
      System.out.println("REVIEW: splits read while split 0 was held: " + readWhileFirstWaited[0]
          + " (the bound 2 x readers allows " + (2 * PARTITIONS - 1) + ")");
      assertTrue(readWhileFirstWaited[0] <= 2 * PARTITIONS - 1,
          "splits read ahead of the oldest unread one: " + readWhileFirstWaited[0]);
    }
  }

  @Test
  void aFailingSplitFailsTheQueryWithoutHanging() {
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      try (BufferAllocator allocator = new RootAllocator()) {
        StreamExecution q = start(allocator, x -> {
          List<Iterator<Batch>> splits = new ArrayList<>();
          for (int j = 0; j < SPLITS; j++) {
            int split = j;
            splits.add(split(j, allocator, () -> {
              if (split == 9) {
                throw new IllegalStateException("split 9 breaks");
              }
              if (split == 0) {
                try {
                  Thread.sleep(500);
                } catch (InterruptedException e) {
                  throw new RuntimeException(e);
                }
              }
            }, () -> { }));
          }
          return splits;
        });
        try {
          Exception e = assertThrows(Exception.class, q::processAllAvailable);
          System.out.println("REVIEW: failure: " + e);
          assertTrue(String.valueOf(e.getMessage()).contains("split 9 breaks")
              || String.valueOf(e.getCause()).contains("split 9 breaks"), e.toString());
        } finally {
          q.stop();
        }
      }
    });
  }

  @Test
  void aSinkFailureStillReadsEverySplit() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      try (BufferAllocator allocator = new RootAllocator()) {
        AtomicInteger read = new AtomicInteger();
        StreamExecution q = start(allocator, x -> {
          List<Iterator<Batch>> splits = new ArrayList<>();
          for (int j = 0; j < SPLITS; j++) {
            splits.add(split(j, allocator, () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                throw new RuntimeException(e);
              }
            }, read::incrementAndGet));
          }
          return splits;
        }, true);
        try {
          Exception e = assertThrows(Exception.class, q::processAllAvailable);
          System.out.println("REVIEW: sink failure: " + e + "; splits read in the failed batch: " + read.get()
              + " of " + SPLITS);
        } finally {
          q.stop();
        }
      }
    });
  }
}
