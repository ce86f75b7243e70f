package io.freshet.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Row;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CatalogTest {
  private FreshetSession session;

  @BeforeEach
  void setUp() {
    session = FreshetSession.builder().create();
  }

  @AfterEach
  void tearDown() {
    session.close();
  }

  @Test
  void createShowDescribeDrop() {
    session.sql("""
        CREATE STREAM Bids (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
          ts TIMESTAMP(3), extra VARCHAR, WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'bid')""");
    session.sql("CREATE STREAM people WITH ('connector' = 'nexmark', 'table' = 'person', 'events' = '10')");
    session.sql("CREATE TABLE out (a BIGINT) WITH ('connector' = 'memory')");
    assertEquals(List.of(Row.of("Bids", "nexmark", "unbounded"), Row.of("people", "nexmark", "bounded")),
        session.sql("SHOW STREAMS").collectAsList());
    assertEquals(List.of(Row.of("out", "memory", "bounded")), session.sql("SHOW TABLES").collectAsList());
    List<Row> described = session.sql("DESCRIBE bids").collectAsList();
    assertEquals(Row.of("auction", "BIGINT", "YES", "", ""), described.get(0));
    assertEquals(Row.of("ts", "TIMESTAMP(3)", "YES", "", "ts - INTERVAL '3' SECOND"), described.get(5));
    // the connector's own column names when none are declared
    assertEquals("dateTime", session.sql("DESCRIBE people").collectAsList().get(6).get(0));

    assertThrows(FreshetException.class, () -> session.sql("CREATE STREAM bids WITH ('connector' = 'rate')"));
    session.sql("CREATE STREAM IF NOT EXISTS bids WITH ('connector' = 'rate')");
    assertEquals("nexmark", session.sql("SHOW STREAMS").collectAsList().get(0).get(1));
    session.sql("CREATE OR REPLACE STREAM bids WITH ('connector' = 'rate')");
    assertEquals("rate", session.sql("SHOW STREAMS").collectAsList().get(0).get(1));

    session.sql("DROP STREAM bids");
    session.sql("DROP TABLE out");
    session.sql("DROP STREAM IF EXISTS bids");
    assertThrows(FreshetException.class, () -> session.sql("DROP STREAM people2"));
    assertEquals(List.of(Row.of("people", "nexmark", "bounded")), session.sql("SHOW STREAMS").collectAsList());
  }

  @Test
  void unquotedNamesKeepTheirCaseAndMatchIgnoringCase() {
    session.sql("CREATE STREAM Clicks (userId BIGINT, Url VARCHAR) WITH ('connector' = 'memory')");
    // Result columns take the declared spelling, as Flink resolves them.
    assertEquals(List.of("userId", "Url"), session.sql("SELECT USERID, url FROM clicks").columns());
    assertEquals(List.of("userId", "Url"), session.sql("SELECT * FROM clicks").columns());
  }

  @Test
  void settings() {
    session.sql("SET 'checkpoint-location' = '/tmp/freshet-x'");
    session.sql("SET dml-sync = false");
    assertEquals("/tmp/freshet-x", session.conf().get("checkpoint-location"));
    assertEquals("false", session.conf().get("dml-sync"));
    session.sql("RESET 'dml-sync'");
    assertEquals("true", session.conf().get("dml-sync"));
    assertThrows(FreshetException.class, () -> session.sql("SET 'output-mode' = 'sometimes'"));
  }
}
