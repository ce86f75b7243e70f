package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per checkpoint: an operating-system lock on {@code <checkpoint>/lock}, taken before anything in the
 * checkpoint is read and held until the query ends, with its owner (host, process, query, since when) written in
 * the file for the message another writer gets. The operating system releases the lock of a process that dies,
 * so a lock left behind by a killed run is simply taken over. A DStream context takes it before it reads its own
 * files in the checkpoint and lends it to the query that runs its batches ({@link #borrowed}).
 */
public final class CheckpointLock implements AutoCloseable {
  /**
   * The checkpoints this process holds, by real path, with their owner records. Checked before any file of the
   * lock is opened: on Linux closing any descriptor of a file drops the process's lock on it, so a refused second
   * query in this process must not open (and close) the lock file the first one holds.
   */
  private static final java.util.Map<Path, String> HELD = new java.util.concurrent.ConcurrentHashMap<>();
  private final Path root;
  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  /** False for a {@link #borrowed} view, which does not release the lock. */
  private final boolean owner;

  private CheckpointLock(Path root, Path key, FileChannel channel, FileLock lock, boolean owner) {
    this.root = root;
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.owner = owner;
  }

  /** Takes the lock of the checkpoint in {@code root} for {@code query}, or refuses, naming who holds it. */
  public static CheckpointLock take(Path root, String query) {
    Path file = root.resolve("lock");
    FileChannel channel;
    Path key;
    try {
      Files.createDirectories(root);
      key = root.toRealPath();
    } catch (IOException e) {
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot open the lock of checkpoint " + root + ": "
          + e.getMessage() + "; check that the path is writable", e);
    }
    String record = "query " + query + " in process " + ProcessHandle.current().pid() + " on " + hostName()
        + " since " + Instant.now() + " (JVM " + ManagementFactory.getRuntimeMXBean().getName() + ")";
    String holder = HELD.putIfAbsent(key, record);
    if (holder != null) {
      throw refused(root, holder);
    }
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      HELD.remove(key);
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot open the lock of checkpoint " + root + ": "
          + e.getMessage() + "; check that the path is writable", e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // This process holds it already.
        lock = null;
      }
      if (lock == null) {
        // Another process holds it (this one holds none, so reading the record cannot drop a lock of ours).
        throw refused(root, new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim());
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((record + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new CheckpointLock(root, key, channel, lock, true);
    } catch (IOException e) {
      HELD.remove(key);
      closeQuietly(channel);
      throw new FreshetException(FreshetException.Kind.EXTERNAL, "Cannot lock checkpoint " + root + ": "
          + e.getMessage() + "; check that the path is writable", e);
    } catch (RuntimeException e) {
      HELD.remove(key);
      closeQuietly(channel);
      throw e;
    }
  }

  private static FreshetException refused(Path root, String owner) {
    return FreshetException.user("The checkpoint " + root + " is in use by "
        + (owner.isEmpty() ? "another query" : owner) + "; a checkpoint has one writer at a time: stop that "
        + "query first, or give this one another checkpoint location");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "this host";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // The lock goes with the channel.
    }
  }

  /** The checkpoint directory this lock holds. */
  public Path root() {
    return root;
  }

  /** The same hold, for a query that runs under it: closing the view leaves the lock with its owner. */
  public CheckpointLock borrowed() {
    return new CheckpointLock(root, key, channel, lock, false);
  }

  /**
   * Releases the lock (the owner record stays, for the next writer to overwrite); again, or on a borrowed view,
   * nothing.
   */
  @Override
  public void close() {
    if (!owner || !channel.isOpen()) {
      return;
    }
    try {
      lock.release();
    } catch (IOException ignored) {
      // Closing the channel releases it too.
    }
    closeQuietly(channel);
    HELD.remove(key);
  }
}
