package io.freshet.streaming;

import java.util.Locale;

/** How a streaming query writes its result to a sink, with Spark Structured Streaming's meaning. */
public enum OutputMode {
  /** Only rows that will never change are written, each once. */
  APPEND,
  /** The rows of the result that changed in this batch. */
  UPDATE,
  /** The whole result table after every batch. */
  COMPLETE;

  /** Parses {@code append}, {@code update} or {@code complete}, ignoring case. */
  public static OutputMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw FreshetException.user("Unknown output mode '" + text + "'; use one of: append, update, complete");
    }
  }

  public static OutputMode Append() {
    return APPEND;
  }

  public static OutputMode Update() {
    return UPDATE;
  }

  public static OutputMode Complete() {
    return COMPLETE;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
