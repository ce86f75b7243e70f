package io.freshet.sql;

import io.freshet.exec.types.TypeKind;
import io.freshet.planner.logical.Frame;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.sql.catalog.TableKind;
import io.freshet.sql.catalog.Watermark;
import io.freshet.streaming.FreshetException;
import io.freshet.streaming.Trigger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Dataset#withWatermark}: Freshet keeps a watermark on a stream, so the stream the column comes from is read
 * under a new name whose definition is the stream's with this watermark, and the Dataset's query reads that one.
 */
final class Watermarks {
  private Watermarks() {
  }

  static Dataset apply(FreshetSession session, Dataset dataset, String column, String delayThreshold) {
    long delayMs;
    try {
      delayMs = Trigger.parseIntervalMs(delayThreshold);
    } catch (FreshetException e) {
      throw FreshetException.user("withWatermark(\"" + column + "\", \"" + delayThreshold + "\"): " + e.getMessage(),
          e);
    }
    Frame frame = dataset.frame();
    List<String> origin = session.origin(frame, column);
    if (origin == null) {
      throw FreshetException.user("withWatermark(\"" + column + "\", ...) needs a column read from a stream as it is "
          + "(its event time), but '" + column + "' is computed here; compute the time when the stream is declared "
          + "(a computed column in CREATE STREAM), or name the stream's time column");
    }
    TableDefinition source = session.catalog().get(origin.get(0));
    if (source.kind() != TableKind.STREAM) {
      throw FreshetException.user("withWatermark(\"" + column + "\", ...): '" + column + "' comes from " + source.name()
          + ", which is a table; a watermark tells how far the event time of a stream has come");
    }
    String time = origin.get(1);
    if (source.schema().type(source.schema().indexOf(time)) != TypeKind.TIMESTAMP) {
      throw FreshetException.user("withWatermark(\"" + column + "\", ...): its column " + source.name() + "." + time
          + " is " + source.schema().type(source.schema().indexOf(time)).sqlName() + "; event time must be a "
          + "TIMESTAMP (cast it when the stream is declared)");
    }
    String expression = "`" + time + "` - INTERVAL '" + (delayMs / 1000) + "." + String.format("%03d",
        delayMs % 1000) + "' SECOND";
    // Named by what it is, so that a program that builds the Dataset again (at its restart from a checkpoint)
    // reads the same stream, and building it again adds nothing to the catalog.
    String name = "__watermark_" + source.name() + "_" + time + "_" + delayMs;
    Map<String, String> options = new LinkedHashMap<>(source.options());
    if (source.connector().equalsIgnoreCase("memory") && !options.containsKey("name")) {
      options.put("name", source.name());
    }
    TableDefinition watermarked = new TableDefinition(name, source.kind(), source.connector(), options,
        source.declaredColumns(), source.schema(), new Watermark(time, expression), false, source.primaryKey());
    synchronized (session.catalog()) {
      if (!session.catalog().contains(name) || !session.catalog().get(name).equals(watermarked)) {
        session.catalog().add(watermarked, true);
      }
    }
    return session.dataset(reading(frame, source.name(), name));
  }

  /** {@code frame} with each read of table {@code from} as it is reading {@code to} instead. */
  private static Frame reading(Frame frame, String from, String to) {
    Frame rebuilt = rebuilt(frame, from, to);
    // The columns of the frame as it was stay its own: a condition or select naming them (ds.col("id")) still does.
    return rebuilt == frame ? frame : new Frame.Rewritten(rebuilt, frame);
  }

  private static Frame rebuilt(Frame frame, String from, String to) {
    if (frame instanceof Frame.Table t) {
      return t.name().equalsIgnoreCase(from) ? new Frame.Table(to) : t;
    }
    if (frame instanceof Frame.Rewritten r) {
      return new Frame.Rewritten(reading(r.frame(), from, to), r.original());
    }
    if (frame instanceof Frame.Select s) {
      return new Frame.Select(reading(s.input(), from, to), s.columns());
    }
    if (frame instanceof Frame.Filter f) {
      return new Frame.Filter(reading(f.input(), from, to), f.condition());
    }
    if (frame instanceof Frame.Alias a) {
      return new Frame.Alias(reading(a.input(), from, to), a.alias());
    }
    if (frame instanceof Frame.DropDuplicates d) {
      return new Frame.DropDuplicates(reading(d.input(), from, to), d.columns());
    }
    if (frame instanceof Frame.Aggregate a) {
      return new Frame.Aggregate(reading(a.input(), from, to), a.keys(), a.aggregates());
    }
    if (frame instanceof Frame.Union u) {
      return new Frame.Union(reading(u.first(), from, to), reading(u.second(), from, to));
    }
    if (frame instanceof Frame.Join j) {
      return new Frame.Join(reading(j.left(), from, to), reading(j.right(), from, to), j.condition(), j.using(),
          j.type());
    }
    throw FreshetException.user("withWatermark works on a Dataset read with readStream() or table(...) and "
        + "transformed with the Dataset operations; this one is a SQL query: declare the watermark in CREATE STREAM "
        + "(WATERMARK FOR ts AS ts - INTERVAL '10' SECOND) instead");
  }
}
