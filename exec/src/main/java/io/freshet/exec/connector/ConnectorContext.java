package io.freshet.exec.connector;

import io.freshet.exec.types.RowSchema;
import java.io.PrintStream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a connector gets when it is created for a query: its checked options, the schema the user declared (or
 * null when the connector should supply its own), the query's allocator, the session's shared resources and
 * where console output goes, and the id of
 * the query it serves (stable across restarts from the same checkpoint), and the connector's own directory in
 * the query's checkpoint (null where the connector runs outside a query). A sink also gets whether the result is a
 * changelog (in update mode its rows replace or delete earlier rows, rather than only being added) and the columns
 * that identify a row then ({@code resultKey}, null when it has no key).
 */
public record ConnectorContext(
    ConnectorOptions options,
    RowSchema declaredSchema,
    BufferAllocator allocator,
    SharedResources resources,
    PrintStream console,
    String queryId,
    java.nio.file.Path checkpointDirectory,
    boolean changelog,
    int[] resultKey) {

  /** The context of a source, or of a sink of a result without a key. */
  public ConnectorContext(ConnectorOptions options, RowSchema declaredSchema, BufferAllocator allocator,
      SharedResources resources, PrintStream console, String queryId, java.nio.file.Path checkpointDirectory) {
    this(options, declaredSchema, allocator, resources, console, queryId, checkpointDirectory, false, null);
  }
}
