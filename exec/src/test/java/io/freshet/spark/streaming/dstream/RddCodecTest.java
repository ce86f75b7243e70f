package io.freshet.spark.streaming.dstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.spark.SparkConf;
import io.freshet.spark.rdd.RDD;
import io.freshet.streaming.FreshetException;
import java.nio.charset.StandardCharsets;
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
        return RddCodec.decode(channel, allocator, StateClasses.none(), "test");
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
        new Stats(2, 1.5, List.of("t")), 'c', (short) 4, 2.5f, new Tuple2<>(List.of(1), 0.25), Double.NaN, null,
        io.freshet.spark.api.java.Optional.of(List.of("o")), io.freshet.spark.api.java.Optional.empty());
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

  /** A class no test encodes: only a registration can let a checkpoint make one. */
  record Registered(long count, List<String> tags) { }

  /** A collection class of the program's own, equally never encoded. */
  public static final class Bag extends ArrayList<Object> {
  }

  private static Object read(String json, StateClasses classes) throws Exception {
    return TaggedJson.read(json.getBytes(StandardCharsets.UTF_8), classes, "/cp/dstreams/3/1000.arrow");
  }

  @Test
  void aCheckpointMakesObjectsOnlyOfTheClassesTheProgramDeclares() throws Exception {
    String registered = "{\"Object\":{\"class\":\"" + Registered.class.getName()
        + "\",\"fields\":{\"count\":2,\"tags\":[\"t\"]}}}";
    FreshetException e = assertThrows(FreshetException.class, () -> read(registered, StateClasses.none()));
    assertEquals(FreshetException.Kind.USER, e.kind());
    assertTrue(e.getMessage().startsWith("The checkpoint file /cp/dstreams/3/1000.arrow holds a value of class "
        + Registered.class.getName() + ", which this program does not declare as state") && e.getMessage().contains(
        "conf.registerKryoClasses(new Class<?>[] {RddCodecTest.Registered.class})"), e.getMessage());
    // Any class at all, such as one whose constructor would act: refused before it is even loaded.
    e = assertThrows(FreshetException.class, () -> read("{\"Object\":{\"class\":\"java.lang.ProcessBuilder\","
        + "\"fields\":{}}}", StateClasses.none()));
    assertTrue(e.getMessage().contains("holds a value of class java.lang.ProcessBuilder"), e.getMessage());
    // A collection of a class not declared; the java.util ones the codec brings back as themselves.
    e = assertThrows(FreshetException.class, () -> read("{\"List\":[],\"as\":\"" + Bag.class.getName() + "\"}",
        StateClasses.none()));
    assertTrue(e.getMessage().contains("holds a value of class " + Bag.class.getName()), e.getMessage());
    assertEquals(TreeSet.class, read("{\"Set\":[],\"as\":\"java.util.TreeSet\"}", StateClasses.none()).getClass());
    assertEquals(ArrayList.class, read("{\"List\":[],\"as\":\"java.util.ImmutableCollections$ListN\"}",
        StateClasses.none()).getClass());

    StateClasses declared = StateClasses.of(new SparkConf().registerKryoClasses(Registered.class, Bag.class));
    assertEquals(new Registered(2, List.of("t")), read(registered, declared));
    assertEquals(Bag.class, read("{\"List\":[{\"Long\":1}],\"as\":\"" + Bag.class.getName() + "\"}", declared)
        .getClass());
  }

  @Test
  void aRegisteredNameThatIsNotAClassIsRefusedAtStart() {
    FreshetException e = assertThrows(FreshetException.class, () -> StateClasses.of(new SparkConf()
        .set(StateClasses.CONF_KEY, "com.example.Gone")));
    assertTrue(e.getMessage().startsWith("The class com.example.Gone that spark.kryo.classesToRegister names is not "
        + "on the class path"), e.getMessage());
  }

  /** Jackson reads no class name from the JSON, even where the class's own annotations ask it to. */
  static final class Holder {
    @com.fasterxml.jackson.annotation.JsonTypeInfo(use = com.fasterxml.jackson.annotation.JsonTypeInfo.Id.CLASS)
    private Object value;

    private Holder() {
    }
  }

  @Test
  void jacksonNeverPicksAClassFromTheJson() throws Exception {
    StateClasses declared = StateClasses.of(new SparkConf().registerKryoClasses(Holder.class));
    Object back = read("{\"Object\":{\"class\":\"" + Holder.class.getName() + "\",\"fields\":{\"value\":"
        + "[\"java.lang.ProcessBuilder\",{}]}}}", declared);
    assertEquals(List.of("java.lang.ProcessBuilder", java.util.Map.of()), ((Holder) back).value);
  }
}
