package io.freshet.exec.engine;

import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;

/** The resources of one run of a query: its allocator (closed when the run ends) and ids. */
public record RunContext(BufferAllocator allocator, UUID queryId, UUID runId) {
}
