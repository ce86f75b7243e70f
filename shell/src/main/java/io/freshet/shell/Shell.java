package io.freshet.shell;

import io.freshet.sql.Dataset;
import io.freshet.sql.FreshetSession;
import io.freshet.sql.RuntimeConfig;
import io.freshet.sql.StatementResult;
import io.freshet.sql.ddl.ScriptSplitter;
import io.freshet.streaming.StreamingQuery;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs statements against a session and shows their results, for scripts and for the interactive prompt. A
 * SELECT over bounded inputs prints its rows when done; a streaming SELECT prints rows as they arrive until it
 * is stopped (Ctrl-C at the prompt). INSERT INTO starts a persistent query and, with {@code dml-sync} (the
 * default), waits for it to finish before the next statement.
 */
final class Shell {
  static final String DEFAULT_STREAMS = """
      CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
        dateTime TIMESTAMP(3), extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'bid');
      CREATE STREAM auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
        dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'auction');
      CREATE STREAM person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR,
        state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR,
        WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
        WITH ('connector' = 'nexmark', 'table' = 'person');
      """;

  private final FreshetSession session;
  private final PrintStream out;
  private final boolean csv;
  private final boolean interactive;

  Shell(FreshetSession session, PrintStream out, boolean csv, boolean interactive) {
    this.session = session;
    this.out = out;
    this.csv = csv;
    this.interactive = interactive;
  }

  void registerDefaults() {
    for (ScriptSplitter.Piece p : ScriptSplitter.split(DEFAULT_STREAMS)) {
      session.execute(p.text(), p.line(), p.column());
    }
  }

  /** Runs every statement of {@code script} in order; stops at the first error, which it throws. */
  void runScript(String script, Consumer<StreamingQuery> onStreamingSelect) {
    for (ScriptSplitter.Piece piece : ScriptSplitter.split(script)) {
      run(piece, onStreamingSelect);
    }
  }

  /** Runs one statement and shows its result. */
  void run(ScriptSplitter.Piece piece, Consumer<StreamingQuery> onStreamingSelect) {
    StatementResult result = session.execute(piece.text(), piece.line(), piece.column());
    if (result instanceof StatementResult.Message m) {
      if (interactive) {
        out.println("[INFO] " + m.text());
      }
    } else if (result instanceof StatementResult.Table t) {
      RowPrinter.printAll(out, csv, t.columns(), t.rows());
    } else if (result instanceof StatementResult.Query q) {
      select(q.dataset(), onStreamingSelect);
    } else if (result instanceof StatementResult.Started s) {
      boolean sync = Boolean.parseBoolean(session.conf().get(RuntimeConfig.DML_SYNC));
      if (interactive) {
        out.println("[INFO] Started query " + s.query().name() + " [id = " + s.query().id() + "]"
            + (sync ? "" : " in the background"));
      }
      if (sync) {
        s.query().awaitTermination();
      }
    }
  }

  private void select(Dataset dataset, Consumer<StreamingQuery> onStreamingSelect) {
    if (!dataset.isStreaming()) {
      RowPrinter.printAll(out, csv, dataset.columns(), dataset.collectAsList());
      return;
    }
    RowPrinter printer = new RowPrinter(out, csv, dataset.schema());
    StreamingQuery query = dataset.writeStream().foreachBatch((rows, id) -> printer.print(rows)).start();
    onStreamingSelect.accept(query);
    query.awaitTermination();
  }

  /** Waits for the persistent queries still running (INSERTs run with dml-sync off). */
  void awaitBackgroundQueries() {
    List<StreamingQuery> active = session.streams().active();
    for (StreamingQuery q : active) {
      q.awaitTermination();
    }
  }
}
