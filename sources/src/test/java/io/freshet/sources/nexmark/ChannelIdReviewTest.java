package io.freshet.sources.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.freshet.exec.batch.Batch;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

/** Review check: a bid's url ends with &channel_id= and Math.abs(Integer.reverse(channel)) as Integer.toString. */
class ChannelIdReviewTest {
  private static final long BASE = LocalDateTime.of(2026, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

  @Test
  void everyChannelIdIsTheDecimalOfTheReversedChannel() {
    NexmarkGenerator g = new NexmarkGenerator(0, 1000, 1);
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (long from = 0; from < 2_000_000; from += 50_000) {
        try (Batch b = g.generateBatch(NexmarkTable.BID, NexmarkTable.BID.schema(), BASE, from, from + 50_000,
            allocator)) {
          for (Row r : b.rows()) {
            String channel = (String) r.get(3);
            String url = (String) r.get(4);
            int at = url.indexOf("&channel_id=");
            if (channel.startsWith("channel-") && at >= 0) {
              checked++;
              int c = Integer.parseInt(channel.substring("channel-".length()));
              String expected = Integer.toString(Math.abs(Integer.reverse(c)));
              String actual = url.substring(at + "&channel_id=".length());
              if (!expected.equals(actual)) {
                wrong.add(channel + " -> '" + actual + "' (Integer.toString: '" + expected + "')");
              }
            }
          }
        }
      }
    }
    System.out.println("REVIEW: checked " + checked + " channel ids; wrong " + wrong.size() + ": "
        + wrong.subList(0, Math.min(3, wrong.size())));
    assertEquals(List.of(), wrong);
  }
}
