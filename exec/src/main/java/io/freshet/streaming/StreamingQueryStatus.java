package io.freshet.streaming;

/**
 * What a query is doing right now, as Spark's {@code StreamingQueryStatus}, and what each of its sources is doing
 * when that is worth telling (a socket source connecting or retrying); the message ends with those too.
 */
public record StreamingQueryStatus(String message, boolean isDataAvailable, boolean isTriggerActive,
    java.util.List<String> sources) {

  public StreamingQueryStatus {
    sources = java.util.List.copyOf(sources);
  }

  public StreamingQueryStatus(String message, boolean isDataAvailable, boolean isTriggerActive) {
    this(message, isDataAvailable, isTriggerActive, java.util.List.of());
  }

  public String json() {
    return Json.write(this, false);
  }

  public String prettyJson() {
    return Json.write(this, true);
  }
}
