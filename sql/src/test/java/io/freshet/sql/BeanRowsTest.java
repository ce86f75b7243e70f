package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.TypeKind;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.sql.Timestamp;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beans as rows for createDataFrame(beans, beanClass): the columns Spark would give, and what is refused. */
class BeanRowsTest {

  public static final class Reading {
    private final String word;
    private final float weight;
    private final Timestamp at;
    private final int count;

    public Reading(String word, float weight, Timestamp at, int count) {
      this.word = word;
      this.weight = weight;
      this.at = at;
      this.count = count;
    }

    public String getWord() {
      return word;
    }

    public float getWeight() {
      return weight;
    }

    public Timestamp getAt() {
      return at;
    }

    public int getCount() {
      return count;
    }
  }

  public static final class WithList {
    public List<String> getTags() {
      return List.of();
    }
  }

  @Test
  void columnsInTheOrderOfTheirNamesWithTimestampsAsMillisAndFloatsWidened() {
    BeanRows<Reading> beans = new BeanRows<>(Reading.class);
    assertEquals(List.of("at", "count", "weight", "word"), beans.schema().columns().stream().map(Column::name)
        .toList());
    assertEquals(List.of(TypeKind.TIMESTAMP, TypeKind.INT, TypeKind.DOUBLE, TypeKind.VARCHAR),
        beans.schema().columns().stream().map(Column::type).toList());
    assertEquals(List.of(Row.of(1_000L, 3, 0.5, "a"), Row.of(null, 0, 2.0, null)),
        beans.rows(List.of(new Reading("a", 0.5f, new Timestamp(1_000L), 3), new Reading(null, 2f, null, 0))));
  }

  @Test
  void aPropertyWithoutSqlTypeIsRefusedWithTheTypesThatAre() {
    FreshetException e = assertThrows(FreshetException.class, () -> new BeanRows<>(WithList.class));
    assertEquals("Property tags of bean class " + WithList.class.getName() + " has type java.util.List, which has "
        + "no SQL type here; use String, int, long, double, float, boolean or java.sql.Timestamp", e.getMessage());
  }
}
