package io.freshet.sources.nexmark;

import io.freshet.exec.types.Column;
import io.freshet.exec.types.RowSchema;
import io.freshet.exec.types.TypeKind;

/** The three Nexmark streams with their columns (Flink's variant) and their share of the event mix (of 50). */
public enum NexmarkTable {
  PERSON(1, RowSchema.of(
      Column.of("id", TypeKind.BIGINT),
      Column.of("name", TypeKind.VARCHAR),
      Column.of("emailAddress", TypeKind.VARCHAR),
      Column.of("creditCard", TypeKind.VARCHAR),
      Column.of("city", TypeKind.VARCHAR),
      Column.of("state", TypeKind.VARCHAR),
      Column.of("dateTime", TypeKind.TIMESTAMP),
      Column.of("extra", TypeKind.VARCHAR))),
  AUCTION(3, RowSchema.of(
      Column.of("id", TypeKind.BIGINT),
      Column.of("itemName", TypeKind.VARCHAR),
      Column.of("description", TypeKind.VARCHAR),
      Column.of("initialBid", TypeKind.BIGINT),
      Column.of("reserve", TypeKind.BIGINT),
      Column.of("dateTime", TypeKind.TIMESTAMP),
      Column.of("expires", TypeKind.TIMESTAMP),
      Column.of("seller", TypeKind.BIGINT),
      Column.of("category", TypeKind.BIGINT),
      Column.of("extra", TypeKind.VARCHAR))),
  BID(46, RowSchema.of(
      Column.of("auction", TypeKind.BIGINT),
      Column.of("bidder", TypeKind.BIGINT),
      Column.of("price", TypeKind.BIGINT),
      Column.of("channel", TypeKind.VARCHAR),
      Column.of("url", TypeKind.VARCHAR),
      Column.of("dateTime", TypeKind.TIMESTAMP),
      Column.of("extra", TypeKind.VARCHAR)));

  /** Events per epoch of 50: event {@code n mod 50} is a person at 0, an auction at 1-3, a bid at 4-49. */
  static final int EPOCH = 50;

  private final int share;
  private final RowSchema schema;

  NexmarkTable(int share, RowSchema schema) {
    this.share = share;
    this.schema = schema;
  }

  public RowSchema schema() {
    return schema;
  }

  int share() {
    return share;
  }

  static NexmarkTable of(long event) {
    int r = (int) (event % EPOCH);
    return r == 0 ? PERSON : r <= 3 ? AUCTION : BID;
  }

  /** How many events of this table lie in {@code [0, events)}. */
  public long countBefore(long events) {
    long epochs = events / EPOCH;
    int r = (int) (events % EPOCH);
    long inEpoch = switch (this) {
      case PERSON -> r > 0 ? 1 : 0;
      case AUCTION -> Math.min(Math.max(r - 1, 0), 3);
      case BID -> Math.max(r - 4, 0);
    };
    return epochs * share + inEpoch;
  }
}
