package io.freshet.sources.nexmark;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.types.RowSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The Nexmark event generator, after the published data model: event {@code n} is a person, an auction or a
 * bid by {@code n mod 50}; person and auction ids rise from 1000; bids favour a hot auction (50 %) and a hot
 * bidder (75 %); prices are log-uniform from 1 to 1 000 000 (in cents, 100 to 10^8); event time rises by
 * {@code 1e6 / rate} microseconds per event, permuted within groups of {@code outOfOrderGroupSize} events.
 *
 * <p>Every event is a pure function of the seed and its number, so any range can be generated again exactly
 * (replay after a restart) and in any order. Rows are written straight into Arrow vectors; strings are built
 * in a reused byte buffer, never as Java Strings.
 */
public final class NexmarkGenerator {
  static final long FIRST_ID = 1000;
  private static final int HOT_BLOCK = 100;
  private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie",
      "Sarah", "Deiter", "Walter"};
  private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith",
      "Jones", "Noris"};
  private static final String[] CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend",
      "Redmond", "Seattle", "Kent", "Cheyenne"};
  private static final String[] STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
  private static final byte[][] CHANNELS = ascii("Google", "Facebook", "Baidu", "Apple");
  private static final byte[][] CHANNEL_URLS = ascii("https://www.google.com/search?q=nexmark",
      "https://www.facebook.com/nexmark", "https://www.baidu.com/s?wd=nexmark", "https://www.apple.com/search/nexmark");
  private static final byte[] CHANNEL = ascii("channel-")[0];
  private static final byte[] URL_START = ascii("https://www.nexmark.com/")[0];
  private static final byte[] URL_ITEM = ascii("/item.htm?query=1")[0];
  private static final byte[] URL_CHANNEL_ID = ascii("&channel_id=")[0];

  private final long seed;
  private final double eventsPerSecond;
  private final int outOfOrderGroupSize;
  private byte[] scratch = new byte[1024];
  private int length;
  private long permutedGroup = -1;
  private int[] permutation;

  public NexmarkGenerator(long seed, double eventsPerSecond, int outOfOrderGroupSize) {
    this.seed = seed;
    this.eventsPerSecond = eventsPerSecond;
    this.outOfOrderGroupSize = Math.max(1, outOfOrderGroupSize);
  }

  /** One batch with the rows of {@code table} among events {@code [from, to)}. */
  public Batch generateBatch(NexmarkTable table, RowSchema schema, long baseTimeMs, long from, long to,
      BufferAllocator allocator) {
    int rows = (int) (table.countBefore(to) - table.countBefore(from));
    List<FieldVector> vectors = new ArrayList<>();
    int row = 0;
    try {
      for (var column : schema.columns()) {
        FieldVector v = column.toArrowField().createVector(allocator);
        vectors.add(v);
        if (v instanceof VarCharVector s) {
          s.allocateNew((long) Math.max(rows, 1) * 64, Math.max(rows, 1));
        } else {
          v.setInitialCapacity(Math.max(rows, 1));
          v.allocateNew();
        }
      }
      for (long n = firstOf(table, from); n < to; n = nextOf(table, n)) {
        long time = eventTime(baseTimeMs, n);
        SplittableRandom rnd = new SplittableRandom(mix(seed, n));
        switch (table) {
          case BID -> bid(n, time, rnd, vectors, row);
          case AUCTION -> auction(n, time, rnd, vectors, row);
          case PERSON -> person(n, time, rnd, vectors, row);
          default -> throw new IllegalStateException();
        }
        row++;
      }
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return Batch.of(schema, vectors, row);
  }

  private static long firstOf(NexmarkTable table, long from) {
    long n = from;
    while (NexmarkTable.of(n) != table) {
      n++;
    }
    return n;
  }

  private static long nextOf(NexmarkTable table, long n) {
    long next = n + 1;
    if (table == NexmarkTable.BID) {
      // Skip the person and auctions at the start of the next epoch.
      return next % NexmarkTable.EPOCH == 0 ? next + 4 : next;
    }
    while (NexmarkTable.of(next) != table) {
      next++;
    }
    return next;
  }

  /** Event time of event {@code n}: its slot permuted within its out-of-order group. */
  long eventTime(long baseTimeMs, long n) {
    long slot = n;
    if (outOfOrderGroupSize > 1) {
      long group = n / outOfOrderGroupSize;
      if (group != permutedGroup) {
        permutation = shuffle(group);
        permutedGroup = group;
      }
      slot = group * outOfOrderGroupSize + permutation[(int) (n % outOfOrderGroupSize)];
    }
    return baseTimeMs + (long) (slot * 1000.0 / eventsPerSecond);
  }

  private int[] shuffle(long group) {
    int[] p = new int[outOfOrderGroupSize];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    SplittableRandom rnd = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, group));
    for (int i = p.length - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static long mix(long seed, long n) {
    long z = seed * 0x9E3779B97F4A7C15L + n;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static long lastPersonId(long n) {
    return FIRST_ID + n / NexmarkTable.EPOCH;
  }

  static long lastAuctionId(long n) {
    long count = NexmarkTable.AUCTION.countBefore(n + 1);
    return FIRST_ID + Math.max(count - 1, 0);
  }

  /** The hot person of the current block of 100, or a recent one (the last 1000, plus 10 not yet created). */
  private static long person(long n, SplittableRandom rnd, double hotShare) {
    long last = lastPersonId(n);
    if (rnd.nextDouble() < hotShare) {
      return Math.min(FIRST_ID + (last - FIRST_ID) / HOT_BLOCK * HOT_BLOCK + 1, last + 10);
    }
    return Math.max(FIRST_ID, last - 999 + rnd.nextInt(1010));
  }

  private static long price(SplittableRandom rnd) {
    return Math.round(Math.pow(10.0, rnd.nextDouble() * 6.0) * 100.0);
  }

  private void bid(long n, long time, SplittableRandom rnd, List<FieldVector> v, int row) {
    long lastAuction = lastAuctionId(n);
    long auction = rnd.nextBoolean()
        ? FIRST_ID + (lastAuction - FIRST_ID) / HOT_BLOCK * HOT_BLOCK
        : Math.max(FIRST_ID, lastAuction - 99 + rnd.nextInt(110));
    ((BigIntVector) v.get(0)).set(row, auction);
    ((BigIntVector) v.get(1)).set(row, person(n, rnd, 0.75));
    ((BigIntVector) v.get(2)).set(row, price(rnd));
    int fixedBytes = 32;
    if (rnd.nextBoolean()) {
      int c = rnd.nextInt(CHANNELS.length);
      ((VarCharVector) v.get(3)).setSafe(row, CHANNELS[c]);
      ((VarCharVector) v.get(4)).setSafe(row, CHANNEL_URLS[c]);
      fixedBytes += CHANNELS[c].length + CHANNEL_URLS[c].length;
    } else {
      int channel = rnd.nextInt(10_000);
      reset();
      append(CHANNEL);
      appendDigits(channel);
      fixedBytes += flush(v.get(3), row);
      reset();
      append(URL_START);
      appendRandom(rnd, 5);
      appendByte((byte) '/');
      appendRandom(rnd, 5);
      append(URL_ITEM);
      if (rnd.nextInt(10) < 9) {
        append(URL_CHANNEL_ID);
        appendDigits(Math.abs(Integer.reverse(channel)));
      }
      fixedBytes += flush(v.get(4), row);
    }
    ((TimeStampMilliVector) v.get(5)).set(row, time);
    extra(rnd, v.get(6), row, 100, fixedBytes);
  }

  private void auction(long n, long time, SplittableRandom rnd, List<FieldVector> v, int row) {
    long id = FIRST_ID + NexmarkTable.AUCTION.countBefore(n);
    ((BigIntVector) v.get(0)).set(row, id);
    reset();
    appendRandom(rnd, 1 + rnd.nextInt(20));
    int fixedBytes = 56 + flush(v.get(1), row);
    reset();
    appendRandom(rnd, 1 + rnd.nextInt(100));
    fixedBytes += flush(v.get(2), row);
    long initialBid = price(rnd);
    ((BigIntVector) v.get(3)).set(row, initialBid);
    ((BigIntVector) v.get(4)).set(row, initialBid + price(rnd));
    ((TimeStampMilliVector) v.get(5)).set(row, time);
    // About 100 auctions are open: an auction lasts up to twice the time it takes to create 100 more.
    double horizonMs = 100.0 * NexmarkTable.EPOCH / 3.0 * 1000.0 / eventsPerSecond;
    ((TimeStampMilliVector) v.get(6)).set(row, time + 1 + (long) (rnd.nextDouble() * 2 * horizonMs));
    ((BigIntVector) v.get(7)).set(row, person(n, rnd, 0.75));
    ((BigIntVector) v.get(8)).set(row, 10 + rnd.nextInt(5));
    extra(rnd, v.get(9), row, 500, fixedBytes);
  }

  private void person(long n, long time, SplittableRandom rnd, List<FieldVector> v, int row) {
    ((BigIntVector) v.get(0)).set(row, lastPersonId(n));
    int fixedBytes = 16;
    fixedBytes += text(v.get(1), row, FIRST_NAMES[rnd.nextInt(FIRST_NAMES.length)] + " "
        + LAST_NAMES[rnd.nextInt(LAST_NAMES.length)]);
    reset();
    appendRandom(rnd, 7);
    append("@");
    appendRandom(rnd, 5);
    append(".com");
    fixedBytes += flush(v.get(2), row);
    reset();
    for (int g = 0; g < 4; g++) {
      if (g > 0) {
        append(" ");
      }
      for (int d = 0; d < 4; d++) {
        appendByte((byte) ('0' + rnd.nextInt(10)));
      }
    }
    fixedBytes += flush(v.get(3), row);
    fixedBytes += text(v.get(4), row, CITIES[rnd.nextInt(CITIES.length)]);
    fixedBytes += text(v.get(5), row, STATES[rnd.nextInt(STATES.length)]);
    ((TimeStampMilliVector) v.get(6)).set(row, time);
    extra(rnd, v.get(7), row, 200, fixedBytes);
  }

  /**
   * Pads an event to about {@code target} bytes (plus or minus 20 %) with random text: four characters from each
   * random long (the padding is most of what is generated; nothing is drawn after it).
   */
  private void extra(SplittableRandom rnd, FieldVector v, int row, int target, int used) {
    int size = Math.max((int) (target * (0.8 + 0.4 * rnd.nextDouble())) - used, 0);
    while (scratch.length < size + 4) {
      scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2);
    }
    byte[] out = scratch;
    for (int i = 0; i < size; i += 4) {
      long bits = rnd.nextLong();
      for (int k = 0; k < 4; k++) {
        // 16 random bits scaled onto 27 * 13 values: a space for 13 of them, else a letter.
        int r = (int) (((bits >>> (16 * k)) & 0xFFFF) * (27 * 13) >>> 16);
        out[i + k] = r < 27 ? (byte) ' ' : (byte) ('a' + r % 26);
      }
    }
    length = size;
    flush(v, row);
  }

  private void reset() {
    length = 0;
  }

  private void appendByte(byte b) {
    if (length == scratch.length) {
      scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[length++] = b;
  }

  private void append(String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      appendByte((byte) ascii.charAt(i));
    }
  }

  private void append(byte[] bytes) {
    if (length + bytes.length > scratch.length) {
      scratch = java.util.Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + bytes.length));
    }
    System.arraycopy(bytes, 0, scratch, length, bytes.length);
    length += bytes.length;
  }

  private static byte[][] ascii(String... texts) {
    byte[][] bytes = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      bytes[i] = texts[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    return bytes;
  }

  /** The decimal digits of {@code value}, as Long.toString writes them (Math.abs(Integer.MIN_VALUE) is negative). */
  private void appendDigits(long value) {
    if (value < 0) {
      appendByte((byte) '-');
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    if (length + digits > scratch.length) {
      scratch = java.util.Arrays.copyOf(scratch, scratch.length * 2);
    }
    length += digits;
    long rest = value;
    for (int i = length - 1; i >= length - digits; i--, rest /= 10) {
      scratch[i] = (byte) ('0' + rest % 10);
    }
  }

  /** Random lower-case letters with a space about one character in thirteen. */
  private void appendRandom(SplittableRandom rnd, int count) {
    for (int i = 0; i < count; i++) {
      int r = rnd.nextInt(27 * 13);
      appendByte(r < 27 ? (byte) ' ' : (byte) ('a' + r % 26));
    }
  }

  private int flush(FieldVector v, int row) {
    ((VarCharVector) v).setSafe(row, scratch, 0, length);
    return length;
  }

  private int text(FieldVector v, int row, String ascii) {
    reset();
    append(ascii);
    return flush(v, row);
  }
}
