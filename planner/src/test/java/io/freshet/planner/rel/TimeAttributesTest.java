package io.freshet.planner.rel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.freshet.exec.aggregate.HashAggregateOperator;
import io.freshet.exec.expr.Expr;
import io.freshet.exec.types.TypeKind;
import io.freshet.planner.rel.TimeAttribute.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the close key of a window aggregation or Top-N is chosen, and which keys follow from it. */
class TimeAttributesTest {
  private static final long ND = HashAggregateOperator.NOT_DERIVED;
  private static final int TUMBLE = 7;
  private static final int OTHER_TUMBLE = 8;

  /** 0 a plain column, 1 the row time, 2-4 start, end and time of a 10 s window, 5-6 start and end of another. */
  private static final TimeAttributes COLUMNS = TimeAttributes.of(List.of(
      TimeAttribute.NONE,
      TimeAttribute.ROWTIME,
      TimeAttribute.windowBound(Kind.WINDOW_START, 10_000, TUMBLE),
      TimeAttribute.windowBound(Kind.WINDOW_END, 10_000, TUMBLE),
      TimeAttribute.windowBound(Kind.WINDOW_TIME, 10_000, TUMBLE),
      TimeAttribute.windowBound(Kind.WINDOW_START, 60_000, OTHER_TUMBLE),
      TimeAttribute.windowBound(Kind.WINDOW_END, 60_000, OTHER_TUMBLE)));

  @Test
  void anAggregationClosesAtTheWindowEndWhereverItIsAmongTheKeys() {
    assertEquals(new CloseKey(2, 0), COLUMNS.closeKeyPreferringEnd(new int[] {2, 4, 3, 0}));
  }

  @Test
  void withoutAnEndTheWindowTimeClosesOneMillisecondEarlier() {
    assertEquals(new CloseKey(1, 1), COLUMNS.closeKeyPreferringEnd(new int[] {2, 4}));
  }

  @Test
  void aWindowStartAloneClosesTheWindowItsSizeLater() {
    assertEquals(new CloseKey(1, 10_000), COLUMNS.closeKeyPreferringEnd(new int[] {0, 2}));
  }

  @Test
  void keysWithoutAWindowBoundGiveAnUnboundedAggregation() {
    assertNull(COLUMNS.closeKeyPreferringEnd(new int[] {0, 1}));
    assertNull(COLUMNS.firstCloseKey(new int[] {0, 1}));
  }

  @Test
  void aTopNClosesAtTheFirstWindowBoundOfItsPartition() {
    assertEquals(new CloseKey(1, 1), COLUMNS.firstCloseKey(new int[] {0, 4, 3}));
    assertEquals(new CloseKey(0, 10_000), COLUMNS.firstCloseKey(new int[] {2, 3}));
  }

  @Test
  void boundsOfTheClosingWindowFollowFromItsEnd() {
    int[] keys = {2, 3, 4, 0};
    CloseKey close = COLUMNS.closeKeyPreferringEnd(keys);
    assertArrayEquals(new long[] {-10_000, ND, -1, ND}, COLUMNS.derivedFromClose(keys, close));
  }

  @Test
  void boundsFollowFromTheWindowTimeToo() {
    int[] keys = {4, 2};
    CloseKey close = COLUMNS.closeKeyPreferringEnd(keys);
    assertArrayEquals(new long[] {ND, -9_999}, COLUMNS.derivedFromClose(keys, close));
  }

  @Test
  void boundsOfAnotherWindowAreStored() {
    int[] keys = {3, 5, 6};
    CloseKey close = COLUMNS.closeKeyPreferringEnd(keys);
    assertEquals(0, close.position());
    assertArrayEquals(new long[] {ND, ND, ND}, COLUMNS.derivedFromClose(keys, close));
  }

  @Test
  void nothingFollowsFromAClosingStart() {
    int[] keys = {2, 5};
    assertArrayEquals(new long[] {ND, ND}, COLUMNS.derivedFromClose(keys, COLUMNS.closeKeyPreferringEnd(keys)));
  }

  @Test
  void aProjectionThatReadsAColumnAsItIsKeepsItsAttribute() {
    List<Expr> projections = List.of(new Expr.ColumnRef(4, TypeKind.TIMESTAMP),
        Expr.call(Expr.Op.PLUS, TypeKind.TIMESTAMP, new Expr.ColumnRef(1, TypeKind.TIMESTAMP),
            new Expr.Literal(1L, TypeKind.BIGINT)),
        new Expr.ColumnRef(1, TypeKind.TIMESTAMP));
    assertEquals(TimeAttributes.of(List.of(COLUMNS.get(4), TimeAttribute.NONE, TimeAttribute.ROWTIME)),
        COLUMNS.project(projections));
  }
}
