package io.freshet.spark.streaming.dstream;

import io.freshet.spark.rdd.RDD;
import io.freshet.streaming.FreshetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * kinds, and values of other classes (lists, maps, sets, the program's own classes), hold {@link TaggedJson}, the
 * program's classes as Jackson writes their fields (so such a class needs a no-argument constructor, which may be
 * private, or to be a record), read back only as the classes {@link StateClasses} allows.
 */
final class RddCodec {
  private static final String KIND = "freshet.kind";
  private static final String TUPLE = "tuple2";
  private static final String JSON = "tagged-json";

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

  /**
   * The RDD in an Arrow IPC file that {@link #encode} wrote, read from {@code where} (the file, for errors); an
   * object of a class that {@code classes} does not allow is refused with {@link StateClasses.NotAllowed}.
   */
  static RDD<Object> decode(SeekableByteChannel channel, BufferAllocator allocator, StateClasses classes,
      String where) throws IOException {
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
          partitions.get(partition.get(i)).add(get(column, i, classes, where));
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
      String text = isJson(vector.getField()) ? TaggedJson.write(v, what) : (String) v;
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

  private static Object get(FieldVector vector, int i, StateClasses classes, String where) throws IOException {
    if (vector.isNull(i)) {
      return null;
    }
    if (vector instanceof StructVector s) {
      return new Tuple2<>(get((FieldVector) s.getChildByOrdinal(0), i, classes, where),
          get((FieldVector) s.getChildByOrdinal(1), i, classes, where));
    } else if (vector instanceof VarCharVector s) {
      return isJson(vector.getField()) ? TaggedJson.read(s.get(i), classes, where)
          : new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8);
    } else if (vector instanceof BitVector b) {
      return b.get(i) != 0;
    }
    return vector.getObject(i);
  }
}
