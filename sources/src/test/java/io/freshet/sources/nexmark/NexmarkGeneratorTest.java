package io.freshet.sources.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.connector.Offset;
import io.freshet.streaming.Row;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NexmarkGeneratorTest {
  private static final long BASE = LocalDateTime.of(2026, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  private List<Row> rows(NexmarkGenerator generator, NexmarkTable table, long from, long to) {
    try (Batch batch = generator.generateBatch(table, table.schema(), BASE, from, to, allocator)) {
      return batch.rows();
    }
  }

  @Test
  void eventMixIsOneToThreeToFortySix() {
    NexmarkGenerator g = new NexmarkGenerator(1, 1000, 1);
    assertEquals(200, rows(g, NexmarkTable.PERSON, 0, 10_000).size());
    assertEquals(600, rows(g, NexmarkTable.AUCTION, 0, 10_000).size());
    assertEquals(9200, rows(g, NexmarkTable.BID, 0, 10_000).size());
    // A range that starts and ends inside an epoch.
    assertEquals(NexmarkTable.BID.countBefore(1234) - NexmarkTable.BID.countBefore(57),
        rows(g, NexmarkTable.BID, 57, 1234).size());
  }

  @Test
  void theSameSeedGivesTheSameEventsAndAnyRangeReplaysExactly() {
    List<Row> whole = rows(new NexmarkGenerator(7, 1000, 1), NexmarkTable.BID, 0, 5000);
    List<Row> pieces = new ArrayList<>(rows(new NexmarkGenerator(7, 1000, 1), NexmarkTable.BID, 0, 1777));
    pieces.addAll(rows(new NexmarkGenerator(7, 1000, 1), NexmarkTable.BID, 1777, 5000));
    assertEquals(whole, pieces);
    assertFalse(whole.equals(rows(new NexmarkGenerator(8, 1000, 1), NexmarkTable.BID, 0, 5000)));
  }

  @Test
  void idsRiseFromOneThousandAndBidsFavourTheHotAuctionAndBidder() {
    NexmarkGenerator g = new NexmarkGenerator(3, 1000, 1);
    List<Row> people = rows(g, NexmarkTable.PERSON, 0, 50_000);
    List<Row> auctions = rows(g, NexmarkTable.AUCTION, 0, 50_000);
    for (int i = 0; i < people.size(); i++) {
      assertEquals(1000L + i, people.get(i).getLong(0));
    }
    for (int i = 0; i < auctions.size(); i++) {
      assertEquals(1000L + i, auctions.get(i).getLong(0));
      assertTrue(auctions.get(i).getLong(8) >= 10 && auctions.get(i).getLong(8) <= 14);
    }
    List<Row> bids = rows(g, NexmarkTable.BID, 0, 50_000);
    int hotAuction = 0;
    int hotBidder = 0;
    for (int i = 0; i < bids.size(); i++) {
      Row bid = bids.get(i);
      long event = i / 46 * 50 + 4 + i % 46;
      long lastAuction = NexmarkGenerator.lastAuctionId(event);
      long auction = bid.getLong(0);
      assertTrue(auction >= 1000 && auction <= lastAuction + 10, "auction " + auction + " at event " + event);
      if (auction == 1000 + (lastAuction - 1000) / 100 * 100) {
        hotAuction++;
      }
      long lastPerson = NexmarkGenerator.lastPersonId(event);
      if (bid.getLong(1) == Math.min(1000 + (lastPerson - 1000) / 100 * 100 + 1, lastPerson + 10)) {
        hotBidder++;
      }
      long price = bid.getLong(2);
      assertTrue(price >= 100 && price <= 100_000_000, "price " + price);
    }
    double hotAuctionShare = hotAuction / (double) bids.size();
    double hotBidderShare = hotBidder / (double) bids.size();
    assertTrue(hotAuctionShare > 0.48 && hotAuctionShare < 0.53, "hot auction share " + hotAuctionShare);
    assertTrue(hotBidderShare > 0.73 && hotBidderShare < 0.78, "hot bidder share " + hotBidderShare);
  }

  @Test
  void eventTimeRisesAtTheRateAndStaysWithinItsOutOfOrderGroup() {
    List<Row> inOrder = rows(new NexmarkGenerator(1, 100, 1), NexmarkTable.PERSON, 0, 5000);
    for (int i = 0; i < inOrder.size(); i++) {
      // Person i is event 50 i; 100 events per second make 10 ms per event.
      assertEquals(BASE + 500L * i, inOrder.get(i).getTimestamp(6).toInstant(ZoneOffset.UTC).toEpochMilli());
    }
    NexmarkGenerator shuffled = new NexmarkGenerator(1, 1000, 100);
    List<Row> bids = rows(shuffled, NexmarkTable.BID, 0, 10_000);
    boolean disordered = false;
    long previous = Long.MIN_VALUE;
    Set<Long> times = new HashSet<>();
    for (int i = 0; i < bids.size(); i++) {
      long event = i / 46 * 50 + 4 + i % 46;
      long time = bids.get(i).getTimestamp(5).toInstant(ZoneOffset.UTC).toEpochMilli();
      long groupStart = BASE + event / 100 * 100;
      assertTrue(time >= groupStart && time < groupStart + 100, "time of event " + event + " leaves its group");
      disordered |= time < previous;
      previous = time;
      times.add(time);
    }
    assertTrue(disordered, "group size 100 should put some events out of order");
  }

  @Test
  void bidsAreAboutOneHundredBytes() {
    List<Row> bids = rows(new NexmarkGenerator(5, 1000, 1), NexmarkTable.BID, 0, 20_000);
    double total = 0;
    for (Row bid : bids) {
      total += 8 * 3 + 8 + bid.getString(3).length() + bid.getString(4).length() + bid.getString(6).length();
      assertTrue(bid.getString(4).startsWith("https://"), bid.getString(4));
    }
    double average = total / bids.size();
    // Long URLs leave no room for padding, so the mean sits a little above the target, as in Flink's generator.
    assertTrue(average > 95 && average < 125, "average bid size " + average);
  }

  @Test
  void aBoundedSourceOffersAllEventsOnceAndThenIsExhausted() {
    NexmarkConfig config = new NexmarkConfig(1000, 1000, 1, BASE, 1, 300, 128, false);
    NexmarkSource source = new NexmarkSource(config, NexmarkTable.BID, NexmarkTable.BID.schema(), allocator);
    List<Row> all = new ArrayList<>();
    Offset start = null;
    for (int batch = 0; batch < 10; batch++) {
      Offset end = source.latestOffset();
      if (end == null || end.equals(start)) {
        break;
      }
      Iterator<Batch> it = source.read(start, end);
      while (it.hasNext()) {
        try (Batch b = it.next()) {
          assertTrue(b.rowCount() <= 128);
          all.addAll(b.rows());
        }
      }
      source.commit(end);
      start = end;
    }
    assertTrue(source.isExhausted(start));
    assertEquals(NexmarkTable.BID.countBefore(1000), all.size());
    assertEquals(rows(new NexmarkGenerator(1, 1000, 1), NexmarkTable.BID, 0, 1000), all);
    assertNull(new NexmarkSource(new NexmarkConfig(0, 1, 1, System.currentTimeMillis() + 60_000, 1, 10, 10, false),
        NexmarkTable.BID, NexmarkTable.BID.schema(), allocator).latestOffset(), "nothing is due yet");
  }

  @Test
  void aBoundedRealTimeSourceReleasesItsEventsAsTheWallClockPassesTheirEventTimes() {
    // One event a second from 10 s ago: 10 (or 11, should a second pass meanwhile) of the 1000 are due.
    long base = System.currentTimeMillis() - 10_000;
    NexmarkSource paced = new NexmarkSource(new NexmarkConfig(1000, 1, 1, base, 1, 1_000_000, 128, true),
        NexmarkTable.BID, NexmarkTable.BID.schema(), allocator);
    long due = NexmarkSource.Position.of(paced.latestOffset()).events();
    assertTrue(due == 10 || due == 11, "events due: " + due);
    assertFalse(paced.isExhausted(paced.latestOffset()));
    NexmarkSource past = new NexmarkSource(new NexmarkConfig(1000, 1000, 1, base, 1, 1_000_000, 128, true),
        NexmarkTable.BID, NexmarkTable.BID.schema(), allocator);
    assertEquals(1000, NexmarkSource.Position.of(past.latestOffset()).events(), "all due: never more than bounded");
    assertTrue(past.isExhausted(past.latestOffset()));
  }

  @Test
  void splitsReadOneAfterAnotherGiveTheRowsOfOneRead() {
    NexmarkConfig config = new NexmarkConfig(50_000, 1000, 7, BASE, 1, 1_000_000, 128, false);
    NexmarkSource source = new NexmarkSource(config, NexmarkTable.BID, NexmarkTable.BID.schema(), allocator);
    Offset start = new NexmarkSource.Position(BASE, 1234).toOffset();
    Offset end = new NexmarkSource.Position(BASE, 41_000).toOffset();
    List<Iterator<Batch>> splits = source.readSplits(start, end);
    assertTrue(splits.size() > 10, "splits: " + splits.size());
    List<Row> split = new ArrayList<>();
    for (Iterator<Batch> it : splits) {
      drain(it, split);
    }
    List<Row> whole = new ArrayList<>();
    drain(source.read(start, end), whole);
    assertEquals(NexmarkTable.BID.countBefore(41_000) - NexmarkTable.BID.countBefore(1234), whole.size());
    assertEquals(whole, split);
  }

  private static void drain(Iterator<Batch> batches, List<Row> into) {
    while (batches.hasNext()) {
      try (Batch b = batches.next()) {
        into.addAll(b.rows());
      }
    }
  }
}
