package io.freshet.exec.dstream.streaming.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.exec.dstream.rdd.RDD;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Values come back from a checkpointed RDD as what they were: the same classes, partitions and order. */
class RddCodecTest {
  record Stats(long count, double sum, List<String> tags) { }

  private static RDD<Object> roundTrip(RDD<?> rdd) throws Exception {
    try (RootAllocator allocator = new RootAllocator()) {
      byte[] bytes = RddCodec.encode(rdd, allocator, "test");
      try (SeekableByteChannel channel = new ByteArrayReadableSeekableByteChannel(bytes)) {
        return RddCodec.decode(channel, allocator, "test");
      }
    }
  }

  @Test
  void typedColumnsAndTaggedValuesComeBackAsTheyWere() throws Exception {
    TreeMap<String, Integer> sorted = new TreeMap<>(java.util.Map.of("b", 2, "a", 1));
    List<List<Object>> partitions = List.of(
        Arrays.asList(new Tuple2<>("x", 1L), new Tuple2<>("y", null), null),
        List.of(new Tuple2<>("z", 3L)));
    assertEquals(partitions, roundTrip(new RDD<>(partitions)).partitions());

    List<Object> mixed = Arrays.asList(sorted, new TreeSet<>(List.of(3, 1)), new ArrayDeque<>(List.of("q")),
        new Stats(2, 1.5, List.of("t")), 'c', (short) 4, 2.5f, new Tuple2<>(List.of(1), 0.25), Double.NaN, null);
    List<Object> back = roundTrip(new RDD<>(List.of(mixed))).collect();
    assertEquals(TreeMap.class, back.get(0).getClass());
    assertEquals(sorted, back.get(0));
    assertEquals(TreeSet.class, back.get(1).getClass());
    assertEquals(ArrayDeque.class, back.get(2).getClass());
    assertEquals(List.of("q"), new ArrayList<>((ArrayDeque<?>) back.get(2)));
    for (int i = 3; i < mixed.size(); i++) {
      assertEquals(mixed.get(i), back.get(i), "value " + i);
      assertEquals(mixed.get(i) == null ? null : mixed.get(i).getClass(), back.get(i) == null ? null
          : back.get(i).getClass(), "class of value " + i);
    }
  }
}
