package io.freshet.exec.connector;

/**
 * A position in a source, as the source's own JSON text. The engine stores offsets in the offset log and hands
 * them back unchanged on restart, so a source must read every offset it ever wrote.
 */
public record Offset(String json) {
  @Override
  public String toString() {
    return json;
  }
}
