package io.freshet.sql;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Java beans as rows, for Spark's {@code createDataFrame(rdd, beanClass)}: a column per bean property (its getters;
 * String, the boxed or primitive int, long, double, float, boolean, and java.sql.Timestamp), in the order of their
 * names, as Spark orders bean columns.
 */
final class BeanRows<T> {
  private final Class<T> beanClass;
  private final List<PropertyDescriptor> properties = new ArrayList<>();
  private final RowSchema schema;

  BeanRows(Class<T> beanClass) {
    this.beanClass = beanClass;
    try {
      for (PropertyDescriptor p : Introspector.getBeanInfo(beanClass, Object.class).getPropertyDescriptors()) {
        if (p.getReadMethod() != null) {
          properties.add(p);
        }
      }
    } catch (IntrospectionException e) {
      throw FreshetException.user("Cannot read the properties of bean class " + beanClass.getName() + ": "
          + e.getMessage());
    }
    properties.sort(Comparator.comparing(PropertyDescriptor::getName));
    Column[] columns = new Column[properties.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = Column.of(properties.get(i).getName(), type(properties.get(i)));
    }
    this.schema = RowSchema.of(columns);
  }

  RowSchema schema() {
    return schema;
  }

  /** The row of each bean: its properties in the schema's order, a Timestamp as epoch millis, a float widened. */
  List<Row> rows(List<T> beans) {
    List<Row> rows = new ArrayList<>();
    for (T bean : beans) {
      Object[] values = new Object[properties.size()];
      for (int i = 0; i < values.length; i++) {
        try {
          values[i] = properties.get(i).getReadMethod().invoke(bean);
        } catch (ReflectiveOperationException e) {
          throw FreshetException.user("Cannot read property " + properties.get(i).getName() + " of a "
              + beanClass.getName() + ": " + e);
        }
        if (values[i] instanceof Timestamp t) {
          values[i] = t.getTime();
        } else if (values[i] instanceof Float f) {
          values[i] = f.doubleValue();
        }
      }
      rows.add(Row.of(values));
    }
    return rows;
  }

  private TypeKind type(PropertyDescriptor p) {
    Class<?> t = p.getPropertyType();
    if (t == String.class) {
      return TypeKind.VARCHAR;
    } else if (t == int.class || t == Integer.class) {
      return TypeKind.INT;
    } else if (t == long.class || t == Long.class) {
      return TypeKind.BIGINT;
    } else if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
      return TypeKind.DOUBLE;
    } else if (t == boolean.class || t == Boolean.class) {
      return TypeKind.BOOLEAN;
    } else if (t == Timestamp.class) {
      return TypeKind.TIMESTAMP;
    }
    throw FreshetException.user("Property " + p.getName() + " of bean class " + beanClass.getName() + " has type "
        + t.getName() + ", which has no SQL type here; use String, int, long, double, float, boolean or "
        + "java.sql.Timestamp");
  }
}
