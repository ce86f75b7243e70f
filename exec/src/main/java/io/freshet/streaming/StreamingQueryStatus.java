package io.freshet.streaming;

/** What a query is doing right now, as Spark's {@code StreamingQueryStatus}. */
public record StreamingQueryStatus(String message, boolean isDataAvailable, boolean isTriggerActive) {

  public String json() {
    return Json.write(this, false);
  }

  public String prettyJson() {
    return Json.write(this, true);
  }
}
