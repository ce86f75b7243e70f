package io.freshet.exec.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.exec.expr.Vectors;
import io.freshet.exec.types.TypeKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key table against a hash map of the same keys: the ids it gives (new keys numbered in order of arrival), what
 * {@code find} answers, the keys it gives back, and its renumbering by {@code compact}, over batches with and
 * without null keys (the fast paths for BIGINT keys take only the latter) and through many growths of the table.
 */
class KeyTableTest {
  private BufferAllocator allocator;
  private final Random random = new Random(11);

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void oneBigintKey() {
    check(new TypeKind[] {TypeKind.BIGINT});
  }

  @Test
  void twoBigintKeys() {
    check(new TypeKind[] {TypeKind.BIGINT, TypeKind.BIGINT});
  }

  @Test
  void intStringAndBigintKeys() {
    check(new TypeKind[] {TypeKind.INT, TypeKind.VARCHAR, TypeKind.BIGINT});
  }

  @Test
  void stringKey() {
    check(new TypeKind[] {TypeKind.VARCHAR});
  }

  @Test
  void noKeys() {
    KeyTable table = new KeyTable(new TypeKind[0]);
    int[] groups = new int[3];
    table.findOrInsert(new FieldVector[0], 3, groups);
    assertEquals(List.of(0, 0, 0), Arrays.stream(groups).boxed().toList());
    assertEquals(0, table.find(new FieldVector[0], 0));
    table.compact(new int[0], 0);
    assertEquals(-1, table.find(new FieldVector[0], 0));
  }

  private void check(TypeKind[] types) {
    KeyTable table = new KeyTable(types);
    Map<List<Object>, Integer> expected = new HashMap<>();
    List<List<Object>> byGroup = new ArrayList<>();
    for (int batch = 0; batch < 60; batch++) {
      int n = batch % 7 == 0 ? 1 : 1 + random.nextInt(700);
      boolean nulls = batch % 3 == 0;
      int domain = batch < 30 ? 50 + batch * 200 : 3000;
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<Object> row = new ArrayList<>();
        for (TypeKind type : types) {
          row.add(nulls && random.nextInt(5) == 0 ? null : value(type, random.nextInt(domain)));
        }
        rows.add(row);
      }
      List<FieldVector> vectors = vectors(types, rows);
      FieldVector[] keys = vectors.toArray(new FieldVector[0]);
      int[] groups = new int[n];
      table.findOrInsert(keys, n, groups);
      for (int i = 0; i < n; i++) {
        Integer known = expected.get(rows.get(i));
        if (known == null) {
          known = byGroup.size();
          expected.put(rows.get(i), known);
          byGroup.add(rows.get(i));
        }
        assertEquals(known, groups[i], "group of " + rows.get(i));
        assertEquals(known, table.find(keys, i));
      }
      assertEquals(byGroup.size(), table.size());
      vectors.forEach(FieldVector::close);
      assertKeys(table, types, byGroup);
      if (batch % 10 == 9) {
        int[] survivors = new int[byGroup.size()];
        int count = 0;
        for (int g = 0; g < byGroup.size(); g++) {
          if (batch != 39 && random.nextInt(3) == 0) {
            survivors[count++] = g;
          }
        }
        table.compact(survivors, count);
        List<List<Object>> kept = new ArrayList<>();
        expected.clear();
        for (int i = 0; i < count; i++) {
          kept.add(byGroup.get(survivors[i]));
          expected.put(byGroup.get(survivors[i]), i);
        }
        byGroup = kept;
        assertEquals(count, table.size());
        assertKeys(table, types, byGroup);
        List<List<Object>> gone = new ArrayList<>();
        gone.add(Arrays.asList(new Object[types.length]));
        List<FieldVector> probe = vectors(types, gone);
        assertEquals(expected.getOrDefault(gone.get(0), -1), table.find(probe.toArray(new FieldVector[0]), 0));
        probe.forEach(FieldVector::close);
      }
    }
  }

  private static Object value(TypeKind type, int k) {
    return switch (type) {
      case INT -> k - 100;
      case BIGINT -> (long) k * 0x1_0000_0001L - 7;
      default -> "k" + (k % 2 == 0 ? "" : "long key number ") + k;
    };
  }

  /** The keys the table gives back for all its groups, against those of the map. */
  private void assertKeys(KeyTable table, TypeKind[] types, List<List<Object>> byGroup) {
    int n = byGroup.size();
    int[] all = new int[n];
    Arrays.setAll(all, g -> g);
    for (int c = 0; c < types.length; c++) {
      try (FieldVector v = table.toVector(c, all, n, allocator)) {
        for (int g = 0; g < n; g++) {
          Object want = byGroup.get(g).get(c);
          Object got = v.getObject(g);
          assertEquals(want, got == null ? null : types[c] == TypeKind.VARCHAR ? got.toString() : got);
          assertEquals(want == null, table.isNull(c, g));
          if (want != null && types[c] != TypeKind.VARCHAR) {
            assertEquals(((Number) want).longValue(), table.longValue(c, g));
          }
        }
      }
    }
  }

  private List<FieldVector> vectors(TypeKind[] types, List<List<Object>> rows) {
    List<FieldVector> vectors = new ArrayList<>();
    int n = rows.size();
    for (int c = 0; c < types.length; c++) {
      FieldVector v = Vectors.allocate(types[c], n, allocator);
      for (int i = 0; i < n; i++) {
        Object x = rows.get(i).get(c);
        if (x == null) {
          continue;
        }
        switch (types[c]) {
          case INT -> ((IntVector) v).set(i, (Integer) x);
          case BIGINT -> ((BigIntVector) v).set(i, (Long) x);
          default -> ((VarCharVector) v).setSafe(i, ((String) x).getBytes(StandardCharsets.UTF_8));
        }
      }
      v.setValueCount(n);
      vectors.add(v);
    }
    return vectors;
  }
}
