package io.freshet.exec.connector;

import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The files a query keeps in its checkpoint, the engine's and the connectors' own (offset and commit entries, state
 * versions, a file source's listing log, a sink's manifest). Each is written whole to a temporary file beside it,
 * forced to disk, then renamed over the target, so that a crash leaves the old file or the whole new one; and each
 * ends with a line that gives the format version, the length and the CRC32C of what comes before it, checked on
 * every read, so that a file damaged since it was written is caught, never read as something else.
 */
public final class CheckpointFiles {
  /** The format of the checksum line; a file of another format is refused as written by another Freshet. */
  public static final int FORMAT = 2;
  private static final String PREFIX = "\nfreshet-checksum crc32c=";
  /** {@code \nfreshet-checksum crc32c=%08x length=%016x format=%02d\n}: always this many bytes. */
  static final int TRAILER = PREFIX.length() + 8 + " length=".length() + 16 + " format=".length() + 2 + 1;

  private CheckpointFiles() {
  }

  /** A checkpoint file that is missing, cut short, or not what was written; treated as missing by readers. */
  public static final class Damaged extends FreshetException {
    private final Path file;
    private final String why;

    public Damaged(Path file, String why) {
      super(Kind.USER, "Checkpoint file " + file + " is " + why);
      this.file = file;
      this.why = why;
    }

    public Path file() {
      return file;
    }

    /** What is wrong with the file: "missing", "empty", "damaged: ...". */
    public String why() {
      return why;
    }

    /** This error followed by what the user can do about it. */
    public FreshetException withAdvice(String advice) {
      return new FreshetException(Kind.USER, getMessage() + ". " + advice, this);
    }
  }

  public static void write(Path file, byte[] payload) {
    write(file, payload, null);
  }

  /** As above; {@code beforeRename}, when not null, runs between the forced temporary file and the rename. */
  public static void write(Path file, byte[] payload, Runnable beforeRename) {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer body = ByteBuffer.wrap(payload);
        while (body.hasRemaining()) {
          ch.write(body);
        }
        ByteBuffer trailer = ByteBuffer.wrap(trailer(crc(payload), payload.length));
        while (trailer.hasRemaining()) {
          ch.write(trailer);
        }
        ch.force(true);
      }
      if (beforeRename != null) {
        beforeRename.run();
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory(file.getParent());
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write checkpoint file " + file + ": "
          + e.getMessage() + "; check free disk space and permissions", e);
    }
  }

  /**
   * Forces a directory's entries to disk, so that a rename into it survives a power loss and not only a process
   * kill. Where the platform cannot open a directory (Windows), the rename is as durable as it makes it.
   */
  public static void forceDirectory(Path directory) throws IOException {
    FileChannel ch;
    try {
      ch = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (IOException | UnsupportedOperationException e) {
      return;
    }
    try (ch) {
      ch.force(true);
    }
  }

  /** What {@link #write} wrote to {@code file}, checked; {@link Damaged} when it is missing or not intact. */
  public static byte[] read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Damaged(file, "missing");
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read checkpoint file " + file + ": "
          + e.getMessage(), e);
    }
    long length = check(file, bytes.length, ByteBuffer.wrap(bytes, Math.max(0, bytes.length - TRAILER),
        Math.min(bytes.length, TRAILER)));
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, (int) length);
    verify(file, bytes, (int) length, crc.getValue());
    byte[] payload = new byte[(int) length];
    System.arraycopy(bytes, 0, payload, 0, payload.length);
    return payload;
  }

  /** {@link #read} as text. */
  public static String readString(Path file) {
    return new String(read(file), StandardCharsets.UTF_8);
  }

  /**
   * A channel over what {@link #write} wrote to {@code file}, checked first by reading it through once: for
   * files too large to hold twice in memory (state versions), read in place by an Arrow reader.
   */
  public static SeekableByteChannel open(Path file) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      ByteBuffer trailer = ByteBuffer.allocate((int) Math.min(size, TRAILER));
      channel.read(trailer, size - trailer.capacity());
      trailer.flip();
      long length = check(file, size, trailer);
      trailer.rewind();
      verify(file, trailer, crc32c(channel, length));
      return new Bounded(channel, length);
    } catch (NoSuchFileException e) {
      throw new Damaged(file, "missing");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read checkpoint file " + file + ": "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * The CRC32C of a whole file that is not written by {@link #write} (a RocksDB file), which the checkpoint lists
   * beside its name, to be checked with {@link #verify(Path, long)}.
   */
  public static long crc32c(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return crc32c(channel, channel.size());
    } catch (NoSuchFileException e) {
      throw new Damaged(file, "missing");
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read checkpoint file " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Checks that {@code file} has the CRC32C {@code expected}, as {@link #crc32c(Path)} gave when it was listed. */
  public static void verify(Path file, long expected) {
    long actual = crc32c(file);
    if (actual != expected) {
      throw new Damaged(file, String.format("damaged: its CRC32C is %08x, the checkpoint lists %08x", actual,
          expected));
    }
  }

  private static long crc32c(FileChannel channel, long length) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
    long at = 0;
    while (at < length) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), length - at));
      int n = channel.read(chunk, at);
      if (n < 0) {
        break;
      }
      chunk.flip();
      crc.update(chunk);
      at += n;
    }
    return crc.getValue();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // already failing
      }
    }
  }

  private static long crc(byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload, 0, payload.length);
    return crc.getValue();
  }

  private static byte[] trailer(long crc, long length) {
    return String.format("%s%08x length=%016x format=%02d\n", PREFIX, crc, length, FORMAT)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The payload length that the trailer in {@code tail} (the file's last bytes) gives, or {@link Damaged}. */
  private static long check(Path file, long size, ByteBuffer tail) {
    if (size < TRAILER) {
      throw new Damaged(file, size == 0 ? "empty" : "cut short (" + size + " bytes, less than its checksum line)");
    }
    byte[] bytes = new byte[TRAILER];
    tail.duplicate().get(bytes);
    String line = new String(bytes, StandardCharsets.US_ASCII);
    if (!line.startsWith(PREFIX) || !line.endsWith("\n")) {
      throw new Damaged(file, "damaged or cut short, or was written by an earlier Freshet (before checkpoint format "
          + FORMAT + "): it does not end with its checksum line");
    }
    long length;
    int format;
    try {
      length = Long.parseLong(line.substring(PREFIX.length() + 8 + 8, PREFIX.length() + 8 + 8 + 16), 16);
      format = Integer.parseInt(line.substring(TRAILER - 3, TRAILER - 1));
    } catch (NumberFormatException e) {
      throw new Damaged(file, "damaged: its checksum line is not readable");
    }
    if (format != FORMAT) {
      throw new Damaged(file, "of checkpoint format " + format + ", which this Freshet (format " + FORMAT
          + ") does not read");
    }
    if (length != size - TRAILER) {
      throw new Damaged(file, "cut short or extended: its checksum line gives " + length + " bytes, it has "
          + (size - TRAILER));
    }
    return length;
  }

  private static void verify(Path file, byte[] bytes, int length, long actual) {
    verify(file, ByteBuffer.wrap(bytes, length, TRAILER), actual);
  }

  private static void verify(Path file, ByteBuffer trailer, long actual) {
    byte[] bytes = new byte[TRAILER];
    trailer.duplicate().get(bytes);
    String line = new String(bytes, StandardCharsets.US_ASCII);
    long expected;
    try {
      expected = Long.parseLong(line.substring(PREFIX.length(), PREFIX.length() + 8), 16);
    } catch (NumberFormatException e) {
      throw new Damaged(file, "damaged: its checksum line is not readable");
    }
    if (expected != actual) {
      throw new Damaged(file, String.format("damaged: its CRC32C is %08x, its checksum line says %08x", actual,
          expected));
    }
  }

  /** A read-only view of the first {@code size} bytes of a channel. */
  private static final class Bounded implements SeekableByteChannel {
    private final FileChannel channel;
    private final long size;
    private long position;

    Bounded(FileChannel channel, long size) {
      this.channel = channel;
      this.size = size;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (position >= size) {
        return -1;
      }
      int limit = dst.limit();
      if (dst.remaining() > size - position) {
        dst.limit(dst.position() + (int) (size - position));
      }
      try {
        int n = channel.read(dst, position);
        if (n > 0) {
          position += n;
        }
        return n;
      } finally {
        dst.limit(limit);
      }
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
      position = newPosition;
      return this;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
