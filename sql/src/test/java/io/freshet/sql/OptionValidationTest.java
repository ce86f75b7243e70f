package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option value is checked by CREATE, with the message a query start would give, before anything runs: the
 * statement fails, names the option, the stream or table, and what is expected, and the catalog is unchanged.
 */
class OptionValidationTest {
  @TempDir
  Path dir;
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  /** CREATE {@code ddl} fails with a message holding every part, and declares nothing. */
  private void refused(String ddl, String... parts) {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(ddl), ddl);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
    }
    assertTrue(session.sql("SHOW STREAMS").collectAsList().isEmpty() && session.sql("SHOW TABLES").collectAsList()
        .isEmpty(), ddl);
  }

  @Test
  void numbersOutOfRangeAreRefusedByCreate() {
    refused("CREATE STREAM r WITH ('connector' = 'rate', 'rowsPerSecond' = '-5')", "'rowsPerSecond'", "'r'",
        "a positive integer", "'-5'");
    refused("CREATE STREAM s WITH ('connector' = 'socket', 'port' = '99999')", "'port'", "1-65535", "'99999'");
    refused("CREATE STREAM s WITH ('connector' = 'socket', 'port' = 'http')", "'port'", "'http'");
    refused("CREATE STREAM s WITH ('connector' = 'socket', 'host' = '', 'port' = '9999')", "'host'");
    refused("CREATE STREAM s WITH ('connector' = 'socket', 'port' = '9999', 'maxReconnectDelay' = '0')",
        "'maxReconnectDelay'");
    refused("CREATE STREAM s WITH ('connector' = 'socket', 'port' = '9999', 'maxLineLength' = '-1')",
        "'maxLineLength'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'events' = '-3')", "'events'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'events-per-second' = '0')", "'events-per-second'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'batch-size' = '0')", "'batch-size'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'max-events-per-batch' = 'many')",
        "'max-events-per-batch'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'base-time' = 'yesterday')", "'base-time'");
    refused("CREATE STREAM n WITH ('connector' = 'nexmark', 'seed' = '1.5')", "'seed'");
    refused("CREATE TABLE c WITH ('connector' = 'console', 'numRows' = '-3')", "'numRows'", "a positive integer");
    refused("CREATE TABLE c WITH ('connector' = 'console', 'truncate' = 'maybe')", "'truncate'", "true or false");
    refused("CREATE TABLE f (a BIGINT) WITH ('connector' = 'file', 'path' = '" + dir + "', 'maxFileSize' = '0')",
        "'maxFileSize'");
    refused("CREATE TABLE f (a BIGINT) WITH ('connector' = 'file', 'path' = '')", "'path'");
  }

  @Test
  void formatsAndPatternsAreRefusedByCreate() {
    String file = "CREATE STREAM f (a BIGINT, ts TIMESTAMP(3)) WITH ('connector' = 'file', 'path' = '" + dir + "', ";
    refused(file + "'format' = 'xml')", "'format'", "text, csv, json");
    refused(file + "'format' = 'csv', 'mode' = 'LENIENT')", "'mode'", "FAILFAST");
    refused(file + "'format' = 'csv', 'delimiter' = ';;')", "'delimiter'", "single");
    refused(file + "'format' = 'csv', 'header' = 'yes')", "'header'", "true or false");
    refused(file + "'format' = 'csv', 'timestampFormat' = 'yyyy-MM-dd HH:mm:ss.SSSb')", "'timestampFormat'");
    refused(file + "'format' = 'csv', 'timestampFormat' = 'HH:mm:ss')", "'timestampFormat'", "needs at least a date");
    refused(file + "'format' = 'csv', 'timestampFormat' = 'YYYY-MM-dd')", "'timestampFormat'", "week-based");
    refused(file + "'format' = 'csv', 'timestampFormat' = 'yyyy-MM-dd hh:mm')", "'timestampFormat'", "12-hour");
    refused(file + "'format' = 'csv', 'maxFilesPerTrigger' = '0')", "'maxFilesPerTrigger'");
    refused(file + "'format' = 'csv', 'maxSplitBytes' = '0')", "'maxSplitBytes'", "a positive integer");
    refused(file + "'format' = 'csv', 'maxSplitBytes' = '32MB')", "'maxSplitBytes'", "an integer");
    refused(file + "'format' = 'csv', 'multiLine' = 'yes')", "'multiLine'", "true or false");
    refused(file + "'format' = 'csv', 'cleanSource' = 'shred')", "'cleanSource'", "off, delete, archive");
    refused(file + "'format' = 'csv', 'cleanSource' = 'archive')", "sourceArchiveDir");
    refused("CREATE STREAM t (a BIGINT) WITH ('connector' = 'file', 'path' = '" + dir + "')", "gives value VARCHAR");
  }

  @Test
  void kafkaOptionsAreRefusedByCreateWithoutABroker() {
    String kafka = "CREATE STREAM k WITH ('connector' = 'kafka', 'kafka.bootstrap.servers' = '127.0.0.1:1', ";
    refused(kafka + "'subscribe' = 't', 'assign' = '{\"t\":[0]}')", "exactly one of");
    refused(kafka + "'subscribe' = 't', 'startingOffsets' = 'beginning')", "startingOffsets");
    refused(kafka + "'subscribePattern' = '([a-z')", "'subscribePattern'", "regular expression");
    refused(kafka + "'assign' = 't:0')", "'assign'", "JSON");
    refused(kafka + "'subscribe' = 't', 'endingOffsets' = 'earliest')", "'endingOffsets'");
    refused(kafka + "'subscribe' = 't', 'maxOffsetsPerTrigger' = '0')", "'maxOffsetsPerTrigger'");
    refused(kafka + "'subscribe' = 't', 'failOnDataLoss' = 'no')", "'failOnDataLoss'");
    refused(kafka + "'subscribe' = 't', 'format' = 'avro')", "'format'", "raw, json, csv");
    refused("CREATE TABLE o WITH ('connector' = 'kafka', 'kafka.bootstrap.servers' = '127.0.0.1:1', "
        + "'transactional' = 'true')", "'topic'");
    refused("CREATE TABLE o (value BIGINT) WITH ('connector' = 'kafka', 'kafka.bootstrap.servers' = '127.0.0.1:1', "
        + "'topic' = 't', 'format' = 'raw')", "raw format", "VARCHAR column value");
  }

  @Test
  void aFilePathThatDoesNotExistIsRefusedAndOneFileIsRead() throws Exception {
    refused("CREATE STREAM f WITH ('connector' = 'file', 'path' = '" + dir.resolve("missing") + "')",
        "'" + dir.resolve("missing") + "'", "does not exist", "create the directory first");
    refused("CREATE STREAM f WITH ('connector' = 'file', 'path' = '" + dir.resolve("nowhere/*.csv") + "')",
        "does not exist", "its directory " + dir.resolve("nowhere") + " does not");
    Path one = Files.writeString(dir.resolve("words.txt"), "a\nb\n");
    Files.writeString(dir.resolve("other.txt"), "c\n");
    session.sql("CREATE STREAM words WITH ('connector' = 'file', 'path' = '" + one + "', 'bounded' = 'true')");
    assertEquals(List.of(Row.of("a"), Row.of("b")), session.sql("SELECT * FROM words").collectAsList());
  }

  @Test
  void genericOptionsGoWhereTheyApply() {
    session.sql("CREATE STREAM n WITH ('connector' = 'nexmark', 'events' = '100', 'idle-timeout' = '5 s')");
    session.sql("CREATE TABLE m (a BIGINT) WITH ('connector' = 'memory', 'output-mode' = 'complete')");
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql(
        "CREATE STREAM x WITH ('connector' = 'rate', 'output-mode' = 'update')"));
    assertTrue(e.getMessage().contains("'output-mode' applies to sink tables"), e.getMessage());
    e = assertThrows(FreshetException.class, () -> session.sql(
        "CREATE TABLE y WITH ('connector' = 'console', 'idle-timeout' = '1 s')"));
    assertTrue(e.getMessage().contains("'idle-timeout' applies to sources"), e.getMessage());
    e = assertThrows(FreshetException.class, () -> session.sql(
        "CREATE TABLE z WITH ('connector' = 'console', 'output-mode' = 'sometimes')"));
    assertTrue(e.getMessage().contains("sometimes"), e.getMessage());
  }

  @Test
  void withoutAConnectorEveryConnectorIsListed() {
    FreshetException e = assertThrows(FreshetException.class, () -> session.sql("CREATE TABLE t (a BIGINT)"));
    for (String connector : List.of("nexmark", "rate", "memory", "file", "socket", "kafka", "console", "blackhole")) {
      assertTrue(e.getMessage().contains(connector), e.getMessage());
    }
    e = assertThrows(FreshetException.class, () -> session.sql("CREATE TABLE t WITH ('connector' = 'consol')"));
    assertTrue(e.getMessage().contains("Unknown sink connector 'consol' (did you mean console?); sinks are: "
        + "blackhole, console, file, kafka, memory"), e.getMessage());
  }
}
