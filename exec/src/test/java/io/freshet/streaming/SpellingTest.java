package io.freshet.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The closest valid word to a slip of the keyboard, and none for a word that is merely different. */
class SpellingTest {
  private static final List<String> WORDS = List.of("SELECT", "INSERT", "CREATE", "SHOW", "HELP");

  @Test
  void slipsFindTheirWord() {
    assertEquals("SELECT", Spelling.closest("selec", WORDS));
    assertEquals("SELECT", Spelling.closest("SLEECT", WORDS));
    assertEquals("CREATE", Spelling.closest("craete", WORDS));
    assertEquals("SHOW", Spelling.closest("sho", WORDS));
    assertEquals(" (did you mean HELP?)", Spelling.didYouMean("HEPL", WORDS));
  }

  @Test
  void otherWordsFindNone() {
    assertNull(Spelling.closest("frobnicate", WORDS));
    assertNull(Spelling.closest("xy", WORDS));
    assertEquals("", Spelling.didYouMean("upsert", List.of("SELECT", "DELETE")));
  }
}
