package io.freshet.streaming;

/**
 * The one exception family of Freshet. Every message says what was wrong, where, and what to do;
 * {@link #kind()} tells whether the user, an external system, resources or Freshet itself is at fault.
 */
public class FreshetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Who is at fault, which decides whether retrying can help. */
  public enum Kind { USER, EXTERNAL, RESOURCES, INTERNAL }

  private final Kind kind;

  public FreshetException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FreshetException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
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
}
