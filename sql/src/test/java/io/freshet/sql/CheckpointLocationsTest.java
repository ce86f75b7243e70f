package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A query's checkpoint directory, named after its sink, stays inside the root whatever the name. */
class CheckpointLocationsTest {
  @TempDir
  Path root;

  @Test
  void namesBecomeDirectoriesInsideTheRoot() {
    assertEquals("plain_name-1", CheckpointLocations.directoryName("plain_name-1"));
    assertEquals("%2E%2E%2Fx", CheckpointLocations.directoryName("../x"));
    assertEquals("%2Fetc%2Fx", CheckpointLocations.directoryName("/etc/x"));
    assertEquals("a%20b%25", CheckpointLocations.directoryName("a b%"));
    assertEquals("caf%C3%A9", CheckpointLocations.directoryName("café"));
    assertEquals(root.resolve("%2E%2E"), CheckpointLocations.of(root.toString(), ".."));
    assertNull(CheckpointLocations.of(null, "x"));
  }

  @Test
  void aCheckpointKeptUnderTheNameAsItStandsIsStillUsed() throws Exception {
    Path earlier = Files.createDirectories(root.resolve("café"));
    assertEquals(earlier, CheckpointLocations.of(root.toString(), "café"));
    Path encoded = Files.createDirectories(root.resolve("caf%C3%A9"));
    assertEquals(encoded, CheckpointLocations.of(root.toString(), "café"));
  }
}
