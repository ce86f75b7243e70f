package io.freshet.sources.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.exec.connector.Source;
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
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives lines on a thread of its own and appends them to a write-ahead log of segment files
 * ({@link SocketLog}). An offset is a line count ({@code {"lines": n}}); lines go to the log as soon as the socket
 * has nothing more waiting; {@link #latestOffset} forces the log to disk before it hands out a count, so every line
 * a batch may read is durable. After a crash the log is read back and checked, so lines in the log but not yet read
 * by a batch are read after the restart; lines still in memory when the process died are lost, as the peer cannot
 * resend. When the server goes away the receiver reconnects, waiting 100 ms, then twice as long each time up to
 * {@code maxReconnectDelay}; {@link #status} says so.
 */
final class SocketSource implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(SocketSource.class);
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
  private final BufferAllocator allocator;

  /** The write-ahead log; guarded by {@code this}. */
  private final SocketLog log;
  private volatile String status;
  private volatile boolean closed;
  /** Why the receiver thread died, if it did: the query then fails with it. */
  private volatile Throwable receiverFailure;
  private final Thread receiver;
  /**
   * Lines received wait in memory at most this long while the log may not be written yet ({@link
   * SocketLog#writable}), then in the connection.
   */
  private static final int HOLD_BYTES = 16 << 20;
  private long malformedInBatch;
  private Socket socket;
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
    this.allocator = allocator;
    new RecordDecoder(schema, format, allocator, 1).close(); // checks the schema against the format now
    this.log = new SocketLog(wal);
    this.receiver = new Thread(this::receive, "freshet-socket-" + host + ":" + port);
    this.receiver.setDaemon(true);
    this.receiver.start();
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
    log.check(lines(last));
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
    while (!log.writable() && !closed && log.pendingBytes() >= HOLD_BYTES) {
      try {
        wait(); // the query has not checked its checkpoint yet: the peer waits
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (closed) {
      return;
    }
    log.append(b, off, len);
  }

  private synchronized void flushQuietly() {
    if (!closed) {
      log.flush();
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
    resumed(); // (when the source is used outside a query, which does not say so)
    long durable = log.force();
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
    SocketLog.Lines lines;
    synchronized (this) {
      log.checkNotDropped(to);
      lines = log.read(from, to);
    }
    malformedInBatch = 0;
    return new DecodedBatches(new RecordDecoder(schema, format, allocator, BATCH_ROWS), n -> malformedInBatch += n) {
      @Override
      public String describe() {
        return "line " + lines.line() + " received from " + host + ":" + port;
      }

      @Override
      protected String source() {
        return "the socket source's log " + log.path();
      }

      @Override
      protected void closeInput() throws IOException {
        lines.close();
      }

      @Override
      protected Batch decode() throws IOException {
        while (lines.next()) {
          int length = lines.payloadLength();
          if (length > maxLineLength) {
            // Received too long, and kept cut after maxLineLength + 1 bytes (or read with a lower limit now).
            decoder.decodeTooLong(lines.buffer(), lines.payloadStart(), (int) Math.min(length, maxLineLength + 1),
                maxLineLength, "maxLineLength", this);
          } else {
            decoder.decode(lines.buffer(), lines.payloadStart(), length, this);
          }
          if (decoder.isFull()) {
            return decoder.flush();
          }
        }
        return decoder.flush();
      }
    };
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numMalformedRows", Long.toString(malformedInBatch));
  }

  @Override
  public synchronized void commit(Offset end) {
    log.commit(lines(end));
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

  /** Every batch the checkpoint held has been checked against the log: what is received now goes to the log. */
  @Override
  public synchronized void resumed() {
    if (!log.writable()) {
      log.makeWritable();
      notifyAll();
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      notifyAll();
      if (!log.writable() && log.pendingLines() > 0) {
        LOG.warn("The socket source {}:{} stops before its query checked the checkpoint: {} line(s) received from "
            + "the peer since it connected are not kept", host, port, log.pendingLines());
      }
      try {
        if (socket != null) {
          socket.close();
        }
        log.close();
      } catch (IOException | RuntimeException e) {
        // Lines not yet in the log were never acknowledged to a batch; they are lost with the connection.
        LOG.warn("Closing the socket source's log {}: {}", log.path(), e.toString());
      }
    }
    receiver.interrupt();
  }
}
