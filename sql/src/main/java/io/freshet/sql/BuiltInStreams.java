package io.freshet.sql;

import io.freshet.sql.parser.ScriptSplitter;

/**
 * The built-in Nexmark streams {@code nexmark.bid}, {@code nexmark.auction} and {@code nexmark.person} (endless,
 * at 1000 events a second), as the shell and the JDBC driver declare them in a new session.
 */
public final class BuiltInStreams {
  /** Their DDL, one CREATE STREAM each. */
  public static final String NEXMARK = """
      CREATE STREAM nexmark.bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
        dateTime TIMESTAMP(3), extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'bid');
      CREATE STREAM nexmark.auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT,
        reserve BIGINT, dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'auction');
      CREATE STREAM nexmark.person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR,
        state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'person');
      """;

  private BuiltInStreams() {
  }

  /** Declares the Nexmark streams in {@code session}. */
  public static void registerNexmark(FreshetSession session) {
    for (ScriptSplitter.Piece p : ScriptSplitter.split(NEXMARK)) {
      session.execute(p.text(), p.line(), p.column());
    }
  }
}
