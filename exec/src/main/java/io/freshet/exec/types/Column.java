package io.freshet.exec.types;

import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** A named, typed column of a stream or a result. */
public record Column(String name, TypeKind type, boolean nullable) {

  public static Column of(String name, TypeKind type) {
    return new Column(name, type, true);
  }

  public Field toArrowField() {
    return new Field(name, new FieldType(nullable, type.arrowType(), null), null);
  }

  @Override
  public String toString() {
    return name + " " + type.sqlName() + (nullable ? "" : " NOT NULL");
  }
}
