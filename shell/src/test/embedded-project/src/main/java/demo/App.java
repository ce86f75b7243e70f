package demo;

import io.freshet.sql.FreshetSession;
import io.freshet.streaming.StreamingQuery;
import io.freshet.streaming.StreamingQueryListener;

/** An application that embeds Freshet with nothing but the dependency the README gives. */
public class App {
  public static void main(String[] args) {
    try (FreshetSession session = FreshetSession.builder().master("local[2]").getOrCreate()) {
      session.streams().addListener(new StreamingQueryListener() {
        @Override
        public void onQueryStarted(QueryStartedEvent event) {
          System.out.println("started " + event.name());
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
          System.out.println("batch " + event.progress().batchId());
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
          System.out.println("terminated");
        }
      });
      session.sql("CREATE STREAM bids WITH ('connector' = 'nexmark', 'events' = '1000', "
          + "'base-time' = '2026-01-01 00:00:00')");
      StreamingQuery query = session.sql("SELECT COUNT(*) AS n FROM bids").writeStream().format("memory")
          .queryName("bid_count").outputMode("complete").start();
      query.awaitTermination();
      System.out.println("bids: " + session.sql("SELECT n FROM bid_count").collectAsList());
    }
  }
}
