package io.freshet.exec.types;

import java.util.List;
import java.util.stream.Collectors;

/** The ordered columns of a stream, a table or a batch. */
public record RowSchema(List<Column> columns) {

  public RowSchema {
    columns = List.copyOf(columns);
  }

  public static RowSchema of(Column... columns) {
    return new RowSchema(List.of(columns));
  }

  public int size() {
    return columns.size();
  }

  public Column column(int i) {
    return columns.get(i);
  }

  public TypeKind type(int i) {
    return columns.get(i).type();
  }

  /** The position of a column, matched ignoring case, or -1. */
  public int indexOf(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  public List<String> names() {
    return columns.stream().map(Column::name).collect(Collectors.toList());
  }

  @Override
  public String toString() {
    return columns.stream().map(Column::toString).collect(Collectors.joining(", ", "(", ")"));
  }
}
