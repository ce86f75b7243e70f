package io.freshet.exec.format;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The rows a {@link RecordDecoder} builds: the record being decoded in primitive slots per column (longs, doubles,
 * strings as ranges of one scratch byte array, a null flag), appended by {@link #writeRow} to Arrow vectors column
 * by column until {@link #flush} hands them out as a batch. External columns (set by the caller, not decoded) are
 * copied into each row as it is written.
 */
final class RowBuffer implements AutoCloseable {
  private final RowSchema schema;
  private final BufferAllocator allocator;
  private final int batchRows;

  private final boolean[] external;
  private final boolean[] externalNulls;
  private final long[] externalLongs;
  private final byte[][] externalBytes;
  private final long[] longs;
  private final double[] doubles;
  private final boolean[] nulls;
  private final int[] stringStart;
  private final int[] stringLength;
  private byte[] scratch = new byte[4096];
  private int scratchLength;

  private FieldVector[] vectors;
  private int rows;

  /** {@code external[c]} marks the columns the caller sets with {@link #external} and {@link #externalString}. */
  RowBuffer(RowSchema schema, BufferAllocator allocator, int batchRows, boolean[] external) {
    this.schema = schema;
    this.allocator = allocator;
    this.batchRows = batchRows;
    this.external = external;
    int n = schema.size();
    longs = new long[n];
    doubles = new double[n];
    nulls = new boolean[n];
    stringStart = new int[n];
    stringLength = new int[n];
    externalNulls = new boolean[n];
    externalLongs = new long[n];
    externalBytes = new byte[n][];
  }

  /** Sets external column {@code column} of the next record to {@code value} (an integer or timestamp). */
  void external(int column, long value) {
    externalNulls[column] = false;
    externalLongs[column] = value;
  }

  /** Sets external DOUBLE column {@code column} of the next record to {@code value}. */
  void external(int column, double value) {
    externalNulls[column] = false;
    externalLongs[column] = Double.doubleToRawLongBits(value);
  }

  /** Sets external column {@code column} of the next record to NULL. */
  void externalNull(int column) {
    externalNulls[column] = true;
  }

  /** Sets external VARCHAR column {@code column} of the next record to UTF-8 bytes, or NULL when null. */
  void externalString(int column, byte[] value) {
    externalNulls[column] = value == null;
    externalBytes[column] = value;
  }

  /** Starts a record: every column null, the scratch bytes empty. */
  void startRecord() {
    Arrays.fill(nulls, true);
    scratchLength = 0;
  }

  /** The scratch bytes of the record; {@link #append} may replace the array, so read it after appending. */
  byte[] scratch() {
    return scratch;
  }

  int scratchLength() {
    return scratchLength;
  }

  void append(byte v) {
    if (scratchLength == scratch.length) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[scratchLength++] = v;
  }

  void append(byte[] b, int off, int len) {
    if (scratchLength + len > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, scratchLength + len));
    }
    System.arraycopy(b, off, scratch, scratchLength, len);
    scratchLength += len;
  }

  /** Sets VARCHAR column {@code column} to a copy of {@code len} bytes at {@code off}. */
  void setString(int column, byte[] b, int off, int len) {
    int start = scratchLength;
    append(b, off, len);
    setScratchString(column, start, len);
  }

  /** Sets VARCHAR column {@code column} to {@code len} bytes at {@code start} of the scratch bytes. */
  void setScratchString(int column, int start, int len) {
    stringStart[column] = start;
    stringLength[column] = len;
    nulls[column] = false;
  }

  /** Sets an INT, BIGINT, TIMESTAMP or BOOLEAN (0 or 1) column. */
  void setLong(int column, long value) {
    longs[column] = value;
    nulls[column] = false;
  }

  void setDouble(int column, double value) {
    doubles[column] = value;
    nulls[column] = false;
  }

  /** Appends the record to the vectors, with the external columns as last set. */
  void writeRow() {
    for (int c = 0; c < external.length; c++) {
      if (external[c]) {
        nulls[c] = externalNulls[c];
        if (externalNulls[c]) {
          continue;
        }
        if (schema.type(c) == TypeKind.VARCHAR) {
          int start = scratchLength;
          append(externalBytes[c], 0, externalBytes[c].length);
          stringStart[c] = start;
          stringLength[c] = externalBytes[c].length;
        } else if (schema.type(c) == TypeKind.DOUBLE) {
          doubles[c] = Double.longBitsToDouble(externalLongs[c]);
        } else {
          longs[c] = externalLongs[c];
        }
      }
    }
    if (vectors == null) {
      vectors = new FieldVector[schema.size()];
      for (int c = 0; c < vectors.length; c++) {
        vectors[c] = schema.column(c).toArrowField().createVector(allocator);
        vectors[c].setInitialCapacity(batchRows);
        vectors[c].allocateNew();
      }
    }
    int row = rows;
    for (int c = 0; c < vectors.length; c++) {
      FieldVector v = vectors[c];
      if (nulls[c]) {
        v.setNull(row);
        continue;
      }
      switch (schema.type(c)) {
        case BIGINT -> ((BigIntVector) v).setSafe(row, longs[c]);
        case INT -> ((IntVector) v).setSafe(row, (int) longs[c]);
        case DOUBLE -> ((Float8Vector) v).setSafe(row, doubles[c]);
        case BOOLEAN -> ((BitVector) v).setSafe(row, (int) longs[c]);
        case TIMESTAMP -> ((TimeStampMilliVector) v).setSafe(row, longs[c]);
        case VARCHAR -> ((VarCharVector) v).setSafe(row, scratch, stringStart[c], stringLength[c]);
        default -> throw new IllegalStateException();
      }
    }
    rows++;
  }

  /** Rows written since the last {@link #flush}. */
  int rowCount() {
    return rows;
  }

  boolean isFull() {
    return rows >= batchRows;
  }

  /** The rows written since the last flush as a batch the caller owns, or null when there are none. */
  Batch flush() {
    if (rows == 0) {
      return null;
    }
    List<FieldVector> list = new ArrayList<>(vectors.length);
    for (FieldVector v : vectors) {
      v.setValueCount(rows);
      list.add(v);
    }
    Batch batch = Batch.of(schema, list, rows);
    vectors = null;
    rows = 0;
    return batch;
  }

  @Override
  public void close() {
    if (vectors != null) {
      for (FieldVector v : vectors) {
        // Null where allocating the batch's vectors failed part way.
        if (v != null) {
          v.close();
        }
      }
      vectors = null;
      rows = 0;
    }
  }
}
