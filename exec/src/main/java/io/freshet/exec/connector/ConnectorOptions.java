package io.freshet.exec.connector;

import io.freshet.streaming.FreshetException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The options of one connector instance, checked against the connector's {@link OptionSpec}s: an unknown or
 * missing option is an error that names it and lists the valid ones, and typed getters name the option whose
 * value does not parse. Option names match ignoring case.
 */
public final class ConnectorOptions {
  private final String connector;
  private final String table;
  private final Map<String, String> values;
  private final List<OptionSpec> specs;

  public ConnectorOptions(String connector, String table, Map<String, String> values, List<OptionSpec> specs) {
    this.connector = connector;
    this.table = table;
    this.specs = specs;
    this.values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    this.values.putAll(values);
    for (String key : this.values.keySet()) {
      if (key.equalsIgnoreCase("connector") || key.equalsIgnoreCase("format")) {
        continue;
      }
      if (specs.stream().noneMatch(s -> s.name().equalsIgnoreCase(key) || prefixOf(s, key))) {
        throw FreshetException.user("Unknown option '" + key + "' for connector '" + connector + "'" + where()
            + "; valid options are: " + validNames());
      }
    }
    for (OptionSpec spec : specs) {
      if (spec.required() && !this.values.containsKey(spec.name())) {
        throw FreshetException.user("Connector '" + connector + "'" + where() + " needs option '" + spec.name()
            + "' (" + spec.description() + ")");
      }
    }
  }

  /** A spec named {@code prefix.*} takes every option whose name starts with {@code prefix.}. */
  private static boolean prefixOf(OptionSpec spec, String key) {
    return spec.name().endsWith(".*")
        && key.toLowerCase(Locale.ROOT).startsWith(spec.name().substring(0, spec.name().length() - 1).toLowerCase(
            Locale.ROOT));
  }

  /** The options whose names start with {@code prefix} (e.g. {@code kafka.}), with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
        found.put(k.substring(prefix.length()), v);
      }
    });
    return found;
  }

  private String where() {
    return table == null ? "" : " of '" + table + "'";
  }

  private String validNames() {
    return specs.stream().map(OptionSpec::name).collect(Collectors.joining(", "));
  }

  public String connector() {
    return connector;
  }

  /** The table or stream these options belong to, or null. */
  public String table() {
    return table;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public String getString(String name) {
    String v = values.get(name);
    if (v != null) {
      return v;
    }
    return specs.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst()
        .map(OptionSpec::defaultValue).orElse(null);
  }

  public long getLong(String name) {
    String v = getString(name);
    try {
      return Long.parseLong(v.trim());
    } catch (RuntimeException e) {
      throw invalid(name, v, "an integer");
    }
  }

  public long getPositiveLong(String name) {
    long v = getLong(name);
    if (v <= 0) {
      throw invalid(name, String.valueOf(v), "a positive integer");
    }
    return v;
  }

  public double getDouble(String name) {
    String v = getString(name);
    try {
      return Double.parseDouble(v.trim());
    } catch (RuntimeException e) {
      throw invalid(name, v, "a number");
    }
  }

  public boolean getBoolean(String name) {
    String v = getString(name);
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if ("false".equalsIgnoreCase(v)) {
      return false;
    }
    throw invalid(name, v, "true or false");
  }

  /** The value, which must be one of {@code allowed} (ignoring case); returned in lower case. */
  public String getChoice(String name, List<String> allowed) {
    String v = getString(name);
    if (v == null || allowed.stream().noneMatch(a -> a.equalsIgnoreCase(v))) {
      throw invalid(name, v, "one of " + String.join(", ", allowed));
    }
    return v.toLowerCase(Locale.ROOT);
  }

  public FreshetException invalid(String name, String value, String expected) {
    return FreshetException.user("Option '" + name + "' of connector '" + connector + "'" + where() + " must be "
        + expected + ", got '" + value + "'");
  }
}
