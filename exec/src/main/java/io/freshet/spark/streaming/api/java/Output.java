package io.freshet.spark.streaming.api.java;

import io.freshet.spark.rdd.RDD;
import io.freshet.spark.streaming.Time;
import java.io.PrintStream;
import java.util.List;

/** The output operations' formats, exactly Spark's. */
final class Output {
  private Output() {
  }

  static <T> void print(RDD<T> rdd, Time time, int num) {
    List<T> first = rdd.take(num + 1);
    PrintStream out = System.out;
    StringBuilder text = new StringBuilder();
    text.append("-------------------------------------------\n");
    text.append("Time: ").append(time).append('\n');
    text.append("-------------------------------------------\n");
    for (int i = 0; i < Math.min(num, first.size()); i++) {
      text.append(first.get(i)).append('\n');
    }
    if (first.size() > num) {
      text.append("...\n");
    }
    text.append('\n');
    out.print(text);
    out.flush();
  }

  /** Spark's rddToFileName: {@code prefix-<ms>} with {@code .suffix} when there is one. */
  static String fileName(String prefix, String suffix, Time time) {
    String name = time.milliseconds() + "";
    if (prefix != null && !prefix.isEmpty()) {
      name = prefix + "-" + name;
    }
    if (suffix != null && !suffix.isEmpty()) {
      name = name + "." + suffix;
    }
    return name;
  }
}
