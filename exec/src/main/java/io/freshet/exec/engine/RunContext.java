package io.freshet.exec.engine;

import io.freshet.streaming.FreshetException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The resources of one run of a query: its allocator, and a child allocator for each source, operator and sink
 * (so that memory is accounted, limited and leak-checked per component), and the query's ids. The engine closes
 * every child when the run ends; a child that still holds buffers then is reported by name.
 */
public final class RunContext {
  private final BufferAllocator allocator;
  private final UUID queryId;
  private final UUID runId;
  private final java.nio.file.Path checkpointRoot;
  private final List<BufferAllocator> children = new ArrayList<>();

  public RunContext(BufferAllocator allocator, UUID queryId, UUID runId, java.nio.file.Path checkpointRoot) {
    this.allocator = allocator;
    this.queryId = queryId;
    this.runId = runId;
    this.checkpointRoot = checkpointRoot;
  }

  /**
   * A directory of the query's checkpoint that belongs to one connector ({@code sources/<name>} or
   * {@code sinks/<name>}), created on first use, for what a connector must keep across restarts (a file source's
   * log of the files it read, a socket source's write-ahead log).
   */
  public java.nio.file.Path connectorDirectory(String kind, String name) {
    java.nio.file.Path dir = checkpointRoot.resolve(kind).resolve(name);
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new io.freshet.streaming.FreshetException(io.freshet.streaming.FreshetException.Kind.EXTERNAL,
          "Cannot create checkpoint directory " + dir + ": " + e.getMessage() + "; check free disk space and "
          + "permissions", e);
    }
    return dir;
  }

  /** The query's allocator. */
  public BufferAllocator allocator() {
    return allocator;
  }

  /** A new child of the query's allocator for one component, closed by the engine when the run ends. */
  public synchronized BufferAllocator childAllocator(String component) {
    BufferAllocator child = allocator.newChildAllocator(component, 0, allocator.getLimit());
    children.add(child);
    return child;
  }

  public UUID queryId() {
    return queryId;
  }

  public UUID runId() {
    return runId;
  }

  /** Closes the children, newest first; returns the first leak found (the others are suppressed), or null. */
  synchronized RuntimeException closeChildren() {
    RuntimeException failure = null;
    for (int i = children.size() - 1; i >= 0; i--) {
      BufferAllocator child = children.get(i);
      try {
        child.close();
      } catch (IllegalStateException e) {
        RuntimeException leak = FreshetException.internal(child.getName() + " leaked Arrow buffers: "
            + e.getMessage(), e);
        if (failure == null) {
          failure = leak;
        } else {
          failure.addSuppressed(leak);
        }
      }
    }
    children.clear();
    return failure;
  }
}
