package io.freshet.sources.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.LogRecords;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
import io.freshet.exec.format.ByteSink;
import io.freshet.exec.format.DecodedBatches;
import io.freshet.exec.format.FormatOptions;
import io.freshet.exec.format.LineReader;
import io.freshet.exec.format.RecordDecoder;
import io.freshet.exec.types.RowSchema;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives lines on a thread of its own and appends them to a write-ahead log of segment files
 * ({@code wal/<first line number>.log}, one record per line, each with its own CRC32C: {@link LogRecords}). An
 * offset is a line count ({@code {"lines": n}}); lines go to the log as soon as the socket has nothing more
 * waiting; {@link #latestOffset} forces the log to disk before it hands out a count, so every line a batch may
 * read is durable. After a crash the log is read back and checked (a last record cut short is dropped: it was never
 * acknowledged, unless a batch of the checkpoint read it, which is refused, as is a record whose checksum fails and
 * a log holding fewer lines than the checkpoint's batches read), so lines in the log but not yet read by a batch are read after the restart; lines still in memory when
 * the process died are lost, as the peer cannot resend. Segments wholly before a committed offset are deleted.
 * When the server goes away the receiver reconnects, waiting 100 ms, then twice as long each time up to
 * {@code maxReconnectDelay}; {@link #status} says so.
 */
final class SocketSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(SocketSource.class);
  private static final long SEGMENT_BYTES = 64L << 20;
  private static final int BATCH_ROWS = 8192;
  /** The default of {@code maxLineLength}: 1 MiB. */
  static final long DEFAULT_MAX_LINE_LENGTH = 1L << 20;

  record Position(long lines) { }

  private final String host;
  private final int port;
  private final long maxDelay;
  private final long maxLineLength;
  private final RowSchema schema;
  private final FormatOptions format;
  private final Path wal;
  private final BufferAllocator allocator;

  /** Segment first-line number to file; guarded by {@code this}. */
  private final TreeMap<Long, Path> segments = new TreeMap<>();
  private FileChannel current;
  private long currentBytes;
  private final ByteSink pending = new ByteSink();
  private long pendingLines;
  private long written;
  private long durable;
  private volatile String status;
  private volatile boolean closed;
  /** Why the receiver thread died, if it did: the query then fails with it. */
  private volatile Throwable receiverFailure;
  private final Thread receiver;
  /**
   * Whether the log may be written: from the first offset this run hands out, once every batch of the checkpoint
   * was checked against the log. Until then lines received wait in memory (at most {@link #HOLD_BYTES}, then in
   * the connection), so that a start refused for the log leaves it as it was, and lines received during a restart
   * cannot be counted as lines a batch read. Guarded by {@code this}.
   */
  private boolean writable;
  private static final int HOLD_BYTES = 16 << 20;
  private long malformedInBatch;
  private Socket socket;
  /**
   * The line whose damaged record was dropped at start, until this run hands out its first offset (then every
   * batch the checkpoint held has been checked); -1 for none.
   */
  private long droppedLine = -1;
  private String dropped;
  /** Lines a batch may read at most while an available-now limit holds (-1: take it at the next listing). */
  private long availableNowLimit = Long.MAX_VALUE;

  SocketSource(SocketSourceProvider.Settings settings, Path wal, BufferAllocator allocator) {
    this.host = settings.host();
    this.port = settings.port();
    this.maxDelay = settings.maxReconnectDelay();
    this.maxLineLength = settings.maxLineLength();
    this.schema = settings.schema();
    this.format = settings.format();
    this.status = "connecting to " + host + ":" + port;
    this.wal = wal;
    this.allocator = allocator;
    new RecordDecoder(schema, format, allocator, 1).close(); // checks the schema against the format now
    recover();
    this.receiver = new Thread(this::receive, "freshet-socket-" + host + ":" + port);
    this.receiver.setDaemon(true);
    this.receiver.start();
  }

  /**
   * Reads the log back after a restart: its segments and how many lines they hold, every record checked. Only the
   * newest segment's last record may be cut short, by a crash while it was appended, before any batch could read
   * it: it is dropped (cut off the file at this run's first offset), and the batches the checkpoint already holds
   * must not have read it ({@link #checkNotDropped}). Any other damage refuses the log. (A crash, or power lost
   * with a file's end zero-filled, leaves a record without its line break; a whole record whose checksum fails
   * was damaged at rest.)
   */
  private void recover() {
    try {
      Files.createDirectories(wal);
      try (Stream<Path> files = Files.list(wal)) {
        files.filter(p -> p.getFileName().toString().endsWith(".log")).forEach(p -> {
          String name = p.getFileName().toString();
          segments.put(Long.parseLong(name.substring(0, name.length() - 4)), p);
        });
      }
      if (segments.isEmpty()) {
        return;
      }
      long lines = -1;
      long end = 0;
      for (Map.Entry<Long, Path> segment : segments.entrySet()) {
        if (lines >= 0 && lines != segment.getKey()) {
          throw FreshetException.user("The socket source's write-ahead log " + wal + " is incomplete: the segment "
              + "before " + segment.getValue() + " ends at line " + lines + ", and " + segment.getValue()
              .getFileName() + " starts at line " + segment.getKey() + ". " + ADVICE);
        }
        boolean newest = segment.getKey().equals(segments.lastKey());
        lines = segment.getKey();
        end = 0;
        try (LogRecords.Reader records = LogRecords.read(segment.getValue())) {
          while (records.next()) {
            if (records.intact()) {
              lines++;
              end = records.endPosition();
              continue;
            }
            String where = records.where();
            String problem = records.problem();
            if (!newest || records.status() != LogRecords.Status.TORN || records.next()) {
              throw FreshetException.user("The socket source's write-ahead log is damaged: " + where + " (line "
                  + lines + " received) is " + problem + (records.status() == LogRecords.Status.TORN
                  ? ", and it is not the log's last record" : ", which a crash cannot do (it cuts a record short)")
                  + ". " + ADVICE);
            }
            LOG.warn("Dropping the last record of the socket source's write-ahead log: {} (line {} received) is {}; "
                + "taken for a crash while it was appended, before any batch could read it", where, lines, problem);
            dropped = where + " (line " + lines + " received) was " + problem;
            droppedLine = lines;
          }
        }
      }
      current = FileChannel.open(segments.lastEntry().getValue(), StandardOpenOption.WRITE);
      // A dropped record is cut off only once the checkpoint's batches are known not to have read it (at the first
      // offset this run hands out): a start refused for it must leave the log as it found it.
      current.position(end);
      currentBytes = end;
      written = lines;
      durable = written;
    } catch (IOException | NumberFormatException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot read the socket source's write-ahead log "
          + wal + ": " + e.getMessage(), e);
    }
  }

  private static final String ADVICE = "Restore the checkpoint from a backup, or use a new checkpoint location (the "
      + "lines in the log that no committed batch read are then lost)";

  /**
   * Refuses a batch of the checkpoint that read up to line {@code lines} when the line dropped at start is among
   * them: asked (before this run hands out an offset of its own) for the batch that runs again and for the last
   * batch of the checkpoint.
   */
  private synchronized void checkNotDropped(long lines) {
    if (droppedLine >= 0 && lines > droppedLine) {
      throw FreshetException.user("The socket source's write-ahead log " + wal + " is damaged: " + dropped + ", so "
          + "it was dropped at start as a record a crash cut short, but a batch of the checkpoint read lines up to "
          + lines + ". " + ADVICE);
    }
  }

  /**
   * Refuses a checkpoint whose batches read more lines than the log holds: a segment deleted or cut short (lines
   * numbered again from the log's end would be taken for lines already read and skipped).
   */
  @Override
  public void restore(Offset last) {
    check(last);
  }

  @Override
  public synchronized void check(Offset last) {
    long read = lines(last);
    checkNotDropped(read);
    if (read > written) {
      throw FreshetException.user("The socket source's write-ahead log " + wal + " holds " + written + " lines, but a "
          + "batch of the checkpoint read lines up to " + read + ": " + (segments.isEmpty() ? "its segments are "
          + "missing" : "a segment is missing or was cut short (newest: " + segments.lastEntry().getValue() + ")")
          + ". " + ADVICE);
    }
  }

  /**
   * Cuts off the record dropped at start, if any, and lets the log be written: called at the first offset this run
   * hands out, when every batch the checkpoint held has been checked against the log. The caller holds the lock.
   */
  private void makeWritable() {
    if (droppedLine >= 0) {
      try {
        current.truncate(currentBytes);
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot cut the damaged last record off the "
            + "socket source's log " + wal + ": " + e.getMessage(), e);
      }
      droppedLine = -1;
    }
    writable = true;
    notifyAll();
  }

  /**
   * The receiver thread: connects, appends lines to the log, reconnects when the server goes away. Whatever ends
   * it otherwise (an error writing the log, an Error such as OutOfMemoryError) is kept, and the query fails with it
   * at its next batch instead of running on without a receiver.
   */
  private void receive() {
    try {
      receiveLines();
    } catch (Throwable t) {
      if (!closed) {
        receiverFailure = t;
        status = "the receiver failed: " + t;
        LOG.error("Socket source {}:{} stopped receiving", host, port, t);
      }
    }
  }

  private void receiveLines() {
    long delay = 100;
    while (!closed) {
      try (Socket s = new Socket()) {
        synchronized (this) {
          socket = s;
        }
        status = "connecting to " + host + ":" + port;
        s.connect(new InetSocketAddress(host, port), 10_000);
        status = "connected to " + host + ":" + port;
        delay = 100;
        InputStream in = s.getInputStream();
        LineReader lines = new LineReader(in, maxLineLength);
        while (!closed && lines.next()) {
          // A line longer than maxLineLength goes to the log cut after maxLineLength + 1 bytes, which tells the
          // batch that reads it that it was too long.
          append(lines.buffer(), lines.lineStart(), lines.lineLength());
          if (in.available() == 0) {
            // Nothing more waiting: hand what came to the log now rather than keep it in memory.
            flushQuietly();
          }
        }
        status = "disconnected from " + host + ":" + port + " (the server closed the connection); reconnecting";
      } catch (IOException e) {
        if (closed) {
          return;
        }
        status = "cannot reach " + host + ":" + port + " (" + e.getMessage() + "); retrying in "
            + (delay < 1000 ? delay + " ms" : delay / 1000.0 + " s");
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
      delay = Math.min(delay * 2, maxDelay);
    }
  }

  private synchronized void append(byte[] b, int off, int len) {
    if (closed) {
      return;
    }
    while (!writable && !closed && pending.length() >= HOLD_BYTES) {
      try {
        wait(); // the query has not checked its checkpoint yet: the peer waits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LogRecords.append(pending, b, off, len);
    pendingLines++;
    if (pending.length() >= 1 << 16) {
      flush();
    }
  }

  private synchronized void flushQuietly() {
    if (!closed) {
      flush();
    }
  }

  /** Writes pending lines to the current segment, once the log may be written; the caller holds the lock. */
  private void flush() {
    if (pendingLines == 0 || !writable) {
      return;
    }
    try {
      if (current == null || currentBytes >= SEGMENT_BYTES) {
        if (current != null) {
          current.force(true);
          current.close();
        }
        Path file = wal.resolve(written + ".log");
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
        segments.put(written, file);
        currentBytes = 0;
      }
      long before = currentBytes;
      try {
        ByteBuffer bytes = ByteBuffer.wrap(pending.array(), 0, pending.length());
        while (bytes.hasRemaining()) {
          currentBytes += current.write(bytes);
        }
      } catch (IOException e) {
        // Take back a partial write, so that the log holds exactly the lines counted; the lines stay pending.
        currentBytes = before;
        current.truncate(before);
        current.position(before);
        throw e;
      }
      written += pendingLines;
      pending.clear();
      pendingLines = 0;
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot write the socket source's log " + wal
          + ": " + e.getMessage() + "; check free disk space", e);
    }
  }

  @Override
  public RowSchema schema() {
    return schema;
  }

  @Override
  public synchronized Offset latestOffset() {
    Throwable failure = receiverFailure;
    if (failure != null) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "The socket source " + host + ":" + port
          + " stopped receiving: " + failure + (failure instanceof OutOfMemoryError ? "; lower 'maxLineLength' or "
          + "give the JVM more memory" : "") + ". Restart the query: lines already in its log are not lost", failure);
    }
    if (!writable) {
      makeWritable();
    }
    flush();
    if (written > durable) {
      try {
        current.force(false);
      } catch (IOException e) {
        throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot force the socket source's log " + wal
            + " to disk: " + e.getMessage(), e);
      }
      durable = written;
    }
    if (availableNowLimit < 0) {
      availableNowLimit = durable;
    }
    long lines = Math.min(durable, availableNowLimit);
    return lines == 0 ? null : new Offset(Json.write(new Position(lines), false));
  }

  private static long lines(Offset offset) {
    try {
      return Json.MAPPER.readValue(offset.json(), Position.class).lines();
    } catch (JsonProcessingException e) {
      throw FreshetException.user("Not an offset of a socket source: '" + offset.json() + "'", e);
    }
  }

  @Override
  public Iterator<Batch> read(Offset start, Offset end) {
    long from = start == null ? 0 : lines(start);
    long to = lines(end);
    checkNotDropped(to);
    List<Map.Entry<Long, Path>> files;
    synchronized (this) {
      Long first = segments.floorKey(from);
      if (first == null || to > durable) {
        throw FreshetException.user("The socket source's log " + wal + " does not hold lines " + from + " to " + to
            + " that the offset log names; the checkpoint is incomplete. Use a new checkpoint location");
      }
      files = new ArrayList<>(segments.subMap(first, true, to, false).entrySet());
    }
    malformedInBatch = 0;
    return new DecodedBatches(new RecordDecoder(schema, format, allocator, BATCH_ROWS), n -> malformedInBatch += n) {
      private int segment;
      private LogRecords.Reader reader;
      private long line;

      @Override
      public String describe() {
        return "line " + line + " received from " + host + ":" + port;
      }

      @Override
      protected String source() {
        return "the socket source's log " + wal;
      }

      @Override
      protected void closeInput() throws IOException {
        if (reader != null) {
          reader.close();
        }
        reader = null;
      }

      @Override
      protected Batch decode() throws IOException {
        while (true) {
          if (reader == null) {
            if (segment == files.size() || line >= to) {
              return decoder.flush();
            }
            Map.Entry<Long, Path> e = files.get(segment++);
            reader = LogRecords.read(e.getValue());
            line = e.getKey();
          }
          if (line >= to || !reader.next()) {
            closeInput();
            continue;
          }
          if (!reader.intact()) {
            throw FreshetException.user("The socket source's write-ahead log is damaged: " + reader.where()
                + " (line " + line + " received) is " + reader.problem() + ", and a batch reads it. " + ADVICE);
          }
          if (line++ < from) {
            continue;
          }
          int length = reader.payloadLength();
          if (length > maxLineLength) {
            // Received too long, and kept cut after maxLineLength + 1 bytes (or read with a lower limit now).
            decoder.decodeTooLong(reader.buffer(), reader.payloadStart(), (int) Math.min(length, maxLineLength + 1),
                maxLineLength, "maxLineLength", this);
          } else {
            decoder.decode(reader.buffer(), reader.payloadStart(), length, this);
          }
          if (decoder.isFull()) {
            return decoder.flush();
          }
        }
      }
    };
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numMalformedRows", Long.toString(malformedInBatch));
  }

  @Override
  public synchronized void commit(Offset end) {
    long to = lines(end);
    // A segment can go once the next one starts at or before the committed line count.
    while (segments.size() > 1) {
      Map.Entry<Long, Path> first = segments.firstEntry();
      Long next = segments.higherKey(first.getKey());
      if (next > to) {
        break;
      }
      try {
        Files.deleteIfExists(first.getValue());
      } catch (IOException e) {
        LOG.warn("Cannot delete the read socket log segment {}: {}", first.getValue(), e.toString());
        break;
      }
      segments.remove(first.getKey());
    }
  }

  @Override
  public synchronized void prepareForAvailableNow() {
    availableNowLimit = -1; // taken at the next latestOffset: the lines in the log by then
  }

  @Override
  public synchronized void endAvailableNow() {
    availableNowLimit = Long.MAX_VALUE;
  }

  @Override
  public String status() {
    return description() + ": " + status;
  }

  @Override
  public String description() {
    return "SocketSource[" + host + ":" + port + "]";
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      notifyAll();
      try {
        if (socket != null) {
          socket.close();
        }
        flush();
        if (current != null) {
          current.force(true);
          current.close();
          current = null;
        }
      } catch (IOException | RuntimeException e) {
        // Lines not yet in the log were never acknowledged to a batch; they are lost with the connection.
        LOG.warn("Closing the socket source's log {}: {}", wal, e.toString());
      }
    }
    receiver.interrupt();
  }
}
