package io.freshet.streaming;

/** Why a streaming query stopped with an error; thrown by {@code awaitTermination()} and kept in {@code exception()}. */
public class StreamingQueryException extends FreshetException {
  private static final long serialVersionUID = 1L;
  private final String queryName;

  public StreamingQueryException(String queryName, String message, Throwable cause) {
    super(cause instanceof FreshetException f ? f.kind() : Kind.INTERNAL, message, cause);
    this.queryName = queryName;
  }

  public String queryName() {
    return queryName;
  }
}
