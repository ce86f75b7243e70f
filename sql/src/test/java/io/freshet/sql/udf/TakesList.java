package io.freshet.sql.udf;

import java.util.List;

/** Not a function SQL can call: its eval takes a List. */
public class TakesList {
  public String eval(List<String> texts) {
    return String.join(",", texts);
  }
}
