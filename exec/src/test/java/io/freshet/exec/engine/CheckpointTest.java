package io.freshet.exec.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir
  Path dir;

  @Test
  void entriesRoundTripAndTheQueryIdStays() {
    Checkpoint checkpoint = new Checkpoint(dir);
    var id = checkpoint.queryId();
    checkpoint.writeOffsets(new Checkpoint.OffsetEntry(0, Long.MIN_VALUE, 5, Map.of("s", "{\"n\":1}")));
    checkpoint.writeCommit(new Checkpoint.CommitEntry(0, Long.MIN_VALUE, null));
    checkpoint.writeOffsets(new Checkpoint.OffsetEntry(1, 1000, 6, Map.of("s", "{\"n\":2}")));
    Checkpoint reopened = new Checkpoint(dir);
    assertEquals(id, reopened.queryId());
    assertEquals(1, reopened.latestOffsetBatch().getAsLong());
    assertEquals(0, reopened.latestCommitBatch().getAsLong());
    assertEquals("{\"n\":2}", reopened.offsets(1).offsets().get("s"));
    assertEquals(1000, reopened.offsets(1).watermarkMs());
  }

  @Test
  void aTruncatedOffsetFileIsReportedByName() throws Exception {
    Checkpoint checkpoint = new Checkpoint(dir);
    checkpoint.writeOffsets(new Checkpoint.OffsetEntry(0, 0, 0, Map.of("s", "1")));
    Path file = dir.resolve("offsets").resolve("0");
    Files.writeString(file, Files.readString(file).substring(0, 12));
    FreshetException e = assertThrows(FreshetException.class, () -> checkpoint.offsets(0));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("cut short"), e.getMessage());
  }

  @Test
  void aFlippedBitInACommitEntryIsCaughtByItsChecksum() throws Exception {
    Checkpoint checkpoint = new Checkpoint(dir);
    checkpoint.writeCommit(new Checkpoint.CommitEntry(0, 1234, Map.of()));
    Path file = dir.resolve("commits").resolve("0");
    byte[] bytes = Files.readAllBytes(file);
    int at = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).indexOf("1234") + 1;
    bytes[at] ^= 0x01; // 1234 becomes 1334: still valid JSON, so only the checksum can tell
    Files.write(file, bytes);
    FreshetException e = assertThrows(FreshetException.class, () -> checkpoint.commit(0));
    assertTrue(e.getMessage().contains(file + " is damaged: its CRC32C is"), e.getMessage());
  }
}
