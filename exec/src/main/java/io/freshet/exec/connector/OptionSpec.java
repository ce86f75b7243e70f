package io.freshet.exec.connector;

/** One option a connector accepts, with its meaning and default, for validation and for error messages. */
public record OptionSpec(String name, String description, String defaultValue, boolean required) {

  public static OptionSpec optional(String name, String defaultValue, String description) {
    return new OptionSpec(name, description, defaultValue, false);
  }

  public static OptionSpec required(String name, String description) {
    return new OptionSpec(name, description, null, true);
  }
}
