package io.freshet.exec.dstream.streaming.dstream;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshet.exec.dstream.rdd.RDD;
import io.freshet.streaming.FreshetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import scala.Tuple2;

/**
 * The RDDs a DStream program keeps across a restart (state, and the batches a window still needs), as Arrow IPC
 * files rather than Java serialization. An RDD is a column {@code partition} and a column {@code value} whose
 * Arrow type follows what the values are: strings, the boxed numbers and booleans get their own Arrow types, a
 * {@code Tuple2} is a struct of {@code _1} and {@code _2}, each typed the same way; a column whose values mix
 * kinds, and values of other classes (lists, maps, sets, the program's own classes), hold a tagged JSON text, the
 * program's classes as Jackson writes their fields (so such a class needs a no-argument constructor, which may be
 * private, or to be a record).
 */
final class RddCodec {
  private static final String KIND = "freshet.kind";
  private static final String TUPLE = "tuple2";
  private static final String JSON = "tagged-json";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RddCodec() {
  }

  /** The Arrow IPC file of {@code rdd}; {@code what} names the stream in errors. */
  static byte[] encode(RDD<?> rdd, BufferAllocator allocator, String what) {
    List<Object> values = new ArrayList<>();
    List<? extends List<?>> partitions = rdd.partitions();
    partitions.forEach(values::addAll);
    Field value = fieldFor("value", values);
    Schema schema = new Schema(List.of(Field.notNullable("partition", new ArrowType.Int(32, true)), value),
        Map.of("freshet.partitions", Integer.toString(partitions.size()), "freshet.format", "1"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(bytes))) {
      IntVector partition = (IntVector) root.getVector(0);
      FieldVector column = root.getVector(1);
      partition.allocateNew(values.size());
      column.allocateNew();
      int i = 0;
      for (int p = 0; p < partitions.size(); p++) {
        for (Object v : partitions.get(p)) {
          partition.set(i, p);
          set(column, i++, v, what);
        }
      }
      root.setRowCount(values.size());
      writer.start();
      writer.writeBatch();
      writer.end();
    } catch (IOException e) {
      throw FreshetException.internal("Cannot encode the checkpointed RDD of " + what + ": " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  /** The RDD in an Arrow IPC file that {@link #encode} wrote. */
  static RDD<Object> decode(SeekableByteChannel channel, BufferAllocator allocator, String what) throws IOException {
    try (ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      int count = Integer.parseInt(root.getSchema().getCustomMetadata().getOrDefault("freshet.partitions", "1"));
      List<List<Object>> partitions = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        partitions.add(new ArrayList<>());
      }
      for (ArrowBlock block : reader.getRecordBlocks()) {
        reader.loadRecordBatch(block);
        IntVector partition = (IntVector) root.getVector(0);
        FieldVector column = root.getVector(1);
        for (int i = 0; i < root.getRowCount(); i++) {
          partitions.get(partition.get(i)).add(get(column, i));
        }
      }
      return new RDD<>(partitions);
    }
  }

  // ---- the Arrow type of a column of values ----

  private static Field fieldFor(String name, List<?> values) {
    ArrowType type = null;
    boolean tuples = false;
    boolean mixed = false;
    for (Object v : values) {
      if (v == null) {
        continue;
      }
      boolean tuple = v instanceof Tuple2;
      ArrowType t = tuple ? ArrowType.Struct.INSTANCE : primitive(v);
      if (t == null || (type != null && (!type.equals(t) || tuple != tuples))) {
        mixed = true;
        break;
      }
      type = t;
      tuples = tuple;
    }
    if (mixed || type == null) {
      return new Field(name, new FieldType(true, ArrowType.Utf8.INSTANCE, null, Map.of(KIND, JSON)), null);
    }
    if (!tuples) {
      return Field.nullable(name, type);
    }
    List<Object> firsts = new ArrayList<>();
    List<Object> seconds = new ArrayList<>();
    for (Object v : values) {
      if (v != null) {
        firsts.add(((Tuple2<?, ?>) v)._1());
        seconds.add(((Tuple2<?, ?>) v)._2());
      }
    }
    return new Field(name, new FieldType(true, ArrowType.Struct.INSTANCE, null, Map.of(KIND, TUPLE)),
        List.of(fieldFor("_1", firsts), fieldFor("_2", seconds)));
  }

  private static ArrowType primitive(Object v) {
    if (v instanceof String) {
      return ArrowType.Utf8.INSTANCE;
    } else if (v instanceof Integer) {
      return new ArrowType.Int(32, true);
    } else if (v instanceof Long) {
      return new ArrowType.Int(64, true);
    } else if (v instanceof Short) {
      return new ArrowType.Int(16, true);
    } else if (v instanceof Byte) {
      return new ArrowType.Int(8, true);
    } else if (v instanceof Double) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    } else if (v instanceof Float) {
      return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    } else if (v instanceof Boolean) {
      return ArrowType.Bool.INSTANCE;
    }
    return null;
  }

  private static boolean isJson(Field field) {
    return field.getMetadata() != null && JSON.equals(field.getMetadata().get(KIND));
  }

  // ---- values in and out of vectors ----

  private static void set(FieldVector vector, int i, Object v, String what) {
    if (vector instanceof StructVector struct) {
      if (v == null) {
        struct.setNull(i);
        return;
      }
      Tuple2<?, ?> t = (Tuple2<?, ?>) v;
      struct.setIndexDefined(i);
      set((FieldVector) struct.getChildByOrdinal(0), i, t._1(), what);
      set((FieldVector) struct.getChildByOrdinal(1), i, t._2(), what);
      return;
    }
    if (v == null) {
      if (vector instanceof org.apache.arrow.vector.BaseFixedWidthVector f) {
        f.setNull(i);
      } else {
        ((org.apache.arrow.vector.BaseVariableWidthVector) vector).setNull(i);
      }
    } else if (vector instanceof VarCharVector s) {
      String text = isJson(vector.getField()) ? toJson(v, what).toString() : (String) v;
      s.setSafe(i, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (vector instanceof IntVector n) {
      n.setSafe(i, (Integer) v);
    } else if (vector instanceof BigIntVector n) {
      n.setSafe(i, (Long) v);
    } else if (vector instanceof SmallIntVector n) {
      n.setSafe(i, (Short) v);
    } else if (vector instanceof TinyIntVector n) {
      n.setSafe(i, (Byte) v);
    } else if (vector instanceof Float8Vector n) {
      n.setSafe(i, (Double) v);
    } else if (vector instanceof Float4Vector n) {
      n.setSafe(i, (Float) v);
    } else if (vector instanceof BitVector n) {
      n.setSafe(i, (Boolean) v ? 1 : 0);
    } else {
      throw new IllegalStateException(vector.getClass().getName());
    }
  }

  private static Object get(FieldVector vector, int i) throws IOException {
    if (vector.isNull(i)) {
      return null;
    }
    if (vector instanceof StructVector s) {
      return new Tuple2<>(get((FieldVector) s.getChildByOrdinal(0), i), get((FieldVector) s.getChildByOrdinal(1), i));
    } else if (vector instanceof VarCharVector s) {
      return isJson(vector.getField()) ? fromJson(MAPPER.readTree(s.get(i)))
          : new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8);
    } else if (vector instanceof BitVector b) {
      return b.get(i) != 0;
    }
    return vector.getObject(i);
  }

  // ---- tagged JSON, for what has no Arrow type of its own ----

  /** One value as a line of tagged JSON (the receivers' write-ahead log). */
  static String toJsonLine(Object v, String what) {
    return toJson(v, what).toString();
  }

  static Object fromJsonLine(String line) throws IOException {
    return fromJson(MAPPER.readTree(line));
  }

  private static JsonNode toJson(Object v, String what) {
    if (v == null) {
      return NODES.nullNode();
    }
    ObjectNode node = NODES.objectNode();
    if (v instanceof String s) {
      node.put("String", s);
    } else if (v instanceof Integer n) {
      node.put("Integer", n);
    } else if (v instanceof Long n) {
      node.put("Long", n);
    } else if (v instanceof Short n) {
      node.put("Short", n);
    } else if (v instanceof Byte n) {
      node.put("Byte", n);
    } else if (v instanceof Double n) {
      node.put("Double", n);
    } else if (v instanceof Float n) {
      node.put("Float", n);
    } else if (v instanceof Boolean b) {
      node.put("Boolean", b);
    } else if (v instanceof Character c) {
      node.put("Character", c.toString());
    } else if (v instanceof Tuple2<?, ?> t) {
      node.putArray("Tuple2").add(toJson(t._1(), what)).add(toJson(t._2(), what));
    } else if (v instanceof Map<?, ?> m) {
      ArrayNode entries = node.putArray("Map");
      m.forEach((k, x) -> entries.addArray().add(toJson(k, what)).add(toJson(x, what)));
      node.put("as", v.getClass().getName());
    } else if (v instanceof Set<?> set) {
      ArrayNode items = node.putArray("Set");
      set.forEach(x -> items.add(toJson(x, what)));
      node.put("as", v.getClass().getName());
    } else if (v instanceof Collection<?> c) {
      ArrayNode items = node.putArray("List");
      c.forEach(x -> items.add(toJson(x, what)));
      node.put("as", v.getClass().getName());
    } else {
      ObjectNode object = node.putObject("Object");
      object.put("class", v.getClass().getName());
      object.set("fields", objectFields(v, what));
    }
    return node;
  }

  /** Classes whose objects were seen to read back from their JSON. */
  private static final Set<Class<?>> READABLE = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * The JSON of an object's fields; the first object of each class is read back at once, so that a class that
   * cannot be restored fails the batch that checkpoints it rather than the restart.
   */
  private static JsonNode objectFields(Object v, String what) {
    try {
      JsonNode fields = MAPPER.valueToTree(v);
      if (READABLE.add(v.getClass())) {
        try {
          MAPPER.treeToValue(fields, v.getClass());
        } catch (IOException | RuntimeException e) {
          READABLE.remove(v.getClass());
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      return fields;
    } catch (IllegalArgumentException e) {
      throw FreshetException.user("The state of " + what + " holds a " + v.getClass().getName() + " that cannot be "
          + "kept in the checkpoint (" + e.getMessage().lines().findFirst().orElse("") + "). Freshet stores such "
          + "objects as the JSON of their fields: give " + v.getClass().getSimpleName() + " a no-argument "
          + "constructor (it may be private), or make it a record");
    }
  }

  /**
   * A new empty collection of the class a value was written from (a TreeMap stays a TreeMap) when that class has
   * a public no-argument constructor; else {@code fallback}'s (immutable lists come back as ArrayLists).
   */
  @SuppressWarnings("unchecked")
  private static <C> C sameKind(JsonNode node, Class<?> kind, java.util.function.Supplier<C> fallback) {
    JsonNode as = node.get("as");
    if (as != null) {
      try {
        Class<?> type = Class.forName(as.asText(), false, Thread.currentThread().getContextClassLoader());
        if (kind.isAssignableFrom(type)) {
          return (C) type.getConstructor().newInstance();
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // no public no-argument constructor: the fallback kind
      }
    }
    return fallback.get();
  }

  private static Object fromJson(JsonNode node) throws IOException {
    if (node == null || node.isNull()) {
      return null;
    }
    Map.Entry<String, JsonNode> e = node.fields().next(); // the tag comes first; "as" after it
    JsonNode v = e.getValue();
    return switch (e.getKey()) {
      case "String" -> v.asText();
      case "Integer" -> v.asInt();
      case "Long" -> v.asLong();
      case "Short" -> (short) v.asInt();
      case "Byte" -> (byte) v.asInt();
      case "Double" -> v.asDouble();
      case "Float" -> (float) v.asDouble();
      case "Boolean" -> v.asBoolean();
      case "Character" -> v.asText().charAt(0);
      case "Tuple2" -> new Tuple2<>(fromJson(v.get(0)), fromJson(v.get(1)));
      case "Map" -> {
        Map<Object, Object> m = sameKind(node, Map.class, LinkedHashMap::new);
        for (JsonNode kv : v) {
          m.put(fromJson(kv.get(0)), fromJson(kv.get(1)));
        }
        yield m;
      }
      case "Set" -> {
        Set<Object> s = sameKind(node, Set.class, LinkedHashSet::new);
        for (JsonNode x : v) {
          s.add(fromJson(x));
        }
        yield s;
      }
      case "List" -> {
        Collection<Object> l = sameKind(node, Collection.class, ArrayList::new);
        for (JsonNode x : v) {
          l.add(fromJson(x));
        }
        yield l;
      }
      case "Object" -> {
        String name = v.get("class").asText();
        Class<?> type;
        try {
          type = Class.forName(name, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException ex) {
          throw new IOException("the class " + name + " of a checkpointed value is not on the class path", ex);
        }
        try {
          yield MAPPER.treeToValue(v.get("fields"), type);
        } catch (IOException ex) {
          throw new IOException("a checkpointed " + name + " cannot be read back (" + ex.getMessage().lines().findFirst().orElse("")
              + "); a class kept in DStream state needs a no-argument constructor, which may be private, or to be"
              + " a record", ex);
        }
      }
      default -> throw new IOException("unknown value kind " + e.getKey());
    };
  }
}
