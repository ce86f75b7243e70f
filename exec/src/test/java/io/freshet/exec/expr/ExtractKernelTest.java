package io.freshet.exec.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The per-value rules of SPLIT_INDEX and REGEXP_EXTRACT, as Flink SQL has them. */
class ExtractKernelTest {
  @Test
  void splitIndexKeepsEmptyPiecesAndCountsFromZero() {
    assertEquals("a", ExtractKernel.splitIndex("a,b,", ",", 0));
    assertEquals("", ExtractKernel.splitIndex("a,b,", ",", 2));
    assertEquals("", ExtractKernel.splitIndex(",a", ",", 0));
    assertEquals("b", ExtractKernel.splitIndex("a::b", "::", 1));
    assertEquals("x", ExtractKernel.splitIndex("x", ",", 0));
  }

  @Test
  void splitIndexOutOfRangeOrOfEmptyTextIsNull() {
    assertNull(ExtractKernel.splitIndex("a,b", ",", 2));
    assertNull(ExtractKernel.splitIndex("a,b", ",", -1));
    assertNull(ExtractKernel.splitIndex("", ",", 0));
  }

  @Test
  void splitIndexWithAnEmptySeparatorCutsAtWhitespace() {
    assertEquals("c", ExtractKernel.splitIndex("a b\tc", "", 2));
    assertEquals("", ExtractKernel.splitIndex("a  b", "", 1));
  }

  @Test
  void regexpExtractTakesAGroupOfTheFirstMatch() {
    Pattern p = Pattern.compile("foo(.*?)(bar)");
    assertEquals("bar", ExtractKernel.regexpExtract(p, "foothebar", 2));
    assertEquals("the", ExtractKernel.regexpExtract(p, "foothebar foobar", 1));
    assertEquals("foothebar", ExtractKernel.regexpExtract(p, "foothebar", 0));
  }

  @Test
  void regexpExtractWithoutAMatchOrAGroupIsNull() {
    Pattern p = Pattern.compile("(a)|(b)");
    assertNull(ExtractKernel.regexpExtract(p, "xyz", 0));
    assertNull(ExtractKernel.regexpExtract(p, "b", 1));
    assertNull(ExtractKernel.regexpExtract(p, "b", 3));
    assertNull(ExtractKernel.regexpExtract(p, "b", -1));
  }
}
