package io.freshet.exec.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whether a CSV line leaves a quoted field open, as RFC 4180 reads quotes. */
class CsvQuotesTest {

  private static boolean open(String line, boolean inside) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return CsvQuotes.endsInQuotedField(b, 0, b.length, (byte) ',', (byte) '"', inside);
  }

  @Test
  void aQuoteOpensAFieldOnlyAtItsStart() {
    assertEquals(false, open("1,5'10\"", false));
    assertEquals(false, open("2,Bob \"the\" Smith,x", false));
    assertEquals(true, open("3,\"first line", false));
    assertEquals(false, open("4,\"closed\",y", false));
    assertEquals(false, open("5,\"a \"\"quoted\"\" word\"", false));
    assertEquals(true, open("6,\"ends with a doubled \"\"", false));
    assertEquals(true, open("\"", false));
  }

  @Test
  void aLineThatContinuesAQuotedFieldClosesItAtTheNextSingleQuote() {
    assertEquals(false, open("second line\",z", true));
    assertEquals(true, open("still \"\" inside", true));
    assertEquals(false, open("done\",\"and\"", true));
    assertEquals(true, open("done\",\"open again", true));
  }
}
