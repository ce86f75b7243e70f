package io.freshet.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** Spark's {@code SparkConf}: settings as key-value strings, with the master and application name. */
public class SparkConf implements java.io.Serializable {
  private final Map<String, String> settings = new LinkedHashMap<>();

  public SparkConf() {
  }

  public SparkConf(boolean loadDefaults) {
  }

  public SparkConf set(String key, String value) {
    if (key == null) {
      throw new NullPointerException("null key");
    }
    if (value == null) {
      throw new NullPointerException("null value for " + key);
    }
    settings.put(key, value);
    return this;
  }

  public SparkConf setMaster(String master) {
    return set("spark.master", master);
  }

  public SparkConf setAppName(String name) {
    return set("spark.app.name", name);
  }

  public SparkConf setIfMissing(String key, String value) {
    settings.putIfAbsent(key, value);
    return this;
  }

  public String get(String key) {
    String v = settings.get(key);
    if (v == null) {
      throw new NoSuchElementException(key);
    }
    return v;
  }

  public String get(String key, String defaultValue) {
    return settings.getOrDefault(key, defaultValue);
  }

  public long getLong(String key, long defaultValue) {
    return settings.containsKey(key) ? Long.parseLong(settings.get(key).trim()) : defaultValue;
  }

  /** Every setting, as Spark's {@code getAll}. */
  @SuppressWarnings("unchecked")
  public scala.Tuple2<String, String>[] getAll() {
    return settings.entrySet().stream().map(e -> new scala.Tuple2<>(e.getKey(), e.getValue()))
        .toArray(scala.Tuple2[]::new);
  }

  public double getDouble(String key, double defaultValue) {
    String v = get(key, null);
    return v == null ? defaultValue : Double.parseDouble(v.trim());
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return settings.containsKey(key) ? Boolean.parseBoolean(settings.get(key).trim()) : defaultValue;
  }

  public boolean contains(String key) {
    return settings.containsKey(key);
  }

  public SparkConf remove(String key) {
    settings.remove(key);
    return this;
  }

  /**
   * Spark's Kryo registration, which in Freshet declares the classes of the program's DStream state (and of what
   * its receivers store): a checkpoint brings back objects only of classes the program declares, and after a
   * restart in a new process it has encoded none yet. Adds their names to {@code spark.kryo.classesToRegister}.
   */
  public SparkConf registerKryoClasses(Class<?>... classes) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (String n : get("spark.kryo.classesToRegister", "").split(",")) {
      if (!n.trim().isEmpty()) {
        names.add(n.trim());
      }
    }
    for (Class<?> c : classes) {
      names.add(c.getName());
    }
    return set("spark.kryo.classesToRegister", String.join(",", names));
  }

  public String getAppName() {
    return get("spark.app.name");
  }

  @Override
  public SparkConf clone() {
    SparkConf copy = new SparkConf();
    copy.settings.putAll(settings);
    return copy;
  }

  /**
   * {@code spark.default.parallelism} when set, else the number of cores of a local master: local = 1,
   * local[N] = N, local[*] = the machine's cores.
   */
  public int defaultParallelism() {
    if (contains("spark.default.parallelism")) {
      return Integer.parseInt(get("spark.default.parallelism").trim());
    }
    return workerThreads();
  }

  /** The worker threads the master names: {@code local} 1, {@code local[N]} N, {@code local[*]} the cores. */
  public int workerThreads() {
    String master = get("spark.master", "local[*]");
    if (master.equals("local")) {
      return 1;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
    if (m.matches()) {
      return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }
    return Runtime.getRuntime().availableProcessors();
  }
}
