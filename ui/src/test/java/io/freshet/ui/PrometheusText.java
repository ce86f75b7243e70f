package io.freshet.ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4) for tests: every line is a HELP or TYPE
 * comment or a sample, metric and label names are valid, label values are quoted and escaped, values are floats,
 * each family is TYPE'd once before its samples, and each sample belongs to the family last TYPE'd (its name is
 * the family's, or for a histogram or summary the family's with _bucket, _sum or _count). Anything else throws.
 */
final class PrometheusText {
  private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
  private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
  private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(?:\\{(.*)})? (\\S+)(?: (-?\\d+))?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

  /** One sample: its metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {
  }

  private PrometheusText() {
  }

  static List<Sample> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a new line");
    }
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    String family = null;
    for (String line : text.split("\n")) {
      Matcher m;
      if (line.isEmpty()) {
        continue;
      } else if ((m = HELP.matcher(line)).matches()) {
        continue;
      } else if ((m = TYPE.matcher(line)).matches()) {
        if (types.put(m.group(1), m.group(2)) != null) {
          throw new IllegalArgumentException("family " + m.group(1) + " TYPE'd twice");
        }
        family = m.group(1);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        String name = m.group(1);
        String type = family == null ? null : types.get(family);
        boolean belongs = family != null && (name.equals(family) || (type.equals("histogram")
            || type.equals("summary")) && name.matches(Pattern.quote(family) + "_(bucket|sum|count)"));
        if (!belongs) {
          throw new IllegalArgumentException("sample " + name + " is not of the family " + family + ": " + line);
        }
        samples.add(new Sample(name, labels(m.group(2), line), value(m.group(3), line)));
      } else {
        throw new IllegalArgumentException("not a line of the text format: " + line);
      }
    }
    return samples;
  }

  private static Map<String, String> labels(String text, String line) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher m = LABEL.matcher(text);
    int at = 0;
    while (m.find() && m.start() == at) {
      String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
      if (labels.put(m.group(1), value) != null) {
        throw new IllegalArgumentException("label " + m.group(1) + " twice: " + line);
      }
      at = m.end();
      if (at < text.length()) {
        if (text.charAt(at) != ',') {
          throw new IllegalArgumentException("bad labels: " + line);
        }
        at++;
      }
    }
    if (at != text.length()) {
      throw new IllegalArgumentException("bad labels: " + line);
    }
    return labels;
  }

  private static double value(String text, String line) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad value: " + line, e);
        }
    }
  }

  /** The value of the one sample of this name whose labels include {@code labels}. */
  static double value(List<Sample> samples, String name, Map<String, String> labels) {
    List<Sample> found = samples.stream().filter(s -> s.name().equals(name)
        && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples " + name + labels + " in " + samples);
    }
    return found.get(0).value();
  }
}
