package io.freshet.streaming;

/**
 * The one exception family of Freshet. Every message says what was wrong, where, and what to do;
 * {@link #kind()} tells whether the user, an external system, resources or Freshet itself is at fault.
 */
public class FreshetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Who is at fault, which decides whether retrying can help. */
  public enum Kind { USER, EXTERNAL, RESOURCES, INTERNAL }

  /**
   * Where in a statement the error is: its first and last line and column (1-based, as the script numbers them), so
   * that a client can show the statement with a caret under the place.
   */
  public record Position(int line, int column, int endLine, int endColumn) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Kind kind;
  private final Position position;

  public FreshetException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public FreshetException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, null);
  }

  private FreshetException(Kind kind, String message, Throwable cause, Position position) {
    super(message, cause);
    this.kind = kind;
    this.position = position;
  }

  public static FreshetException user(String message) {
    return new FreshetException(Kind.USER, message);
  }

  public static FreshetException user(String message, Throwable cause) {
    return new FreshetException(Kind.USER, message, cause);
  }

  public static FreshetException internal(String message, Throwable cause) {
    return new FreshetException(Kind.INTERNAL, message, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** This error placed at {@code position} in its statement. */
  public FreshetException at(Position position) {
    FreshetException placed = new FreshetException(kind, getMessage(), getCause(), position);
    placed.setStackTrace(getStackTrace());
    return placed;
  }

  /** Where in its statement the error is, or null when it is not about one place. */
  public Position position() {
    return position;
  }
}
