package io.freshet.sql;

import io.freshet.exec.batch.Batch;
import io.freshet.exec.batch.BatchBuilder;
import io.freshet.exec.join.StaticJoinOperator;
import io.freshet.exec.join.StaticTableReader;
import io.freshet.exec.plan.PlanNode;
import io.freshet.exec.plan.StreamPlan;
import io.freshet.exec.types.RowSchema;
import io.freshet.sql.catalog.TableDefinition;
import io.freshet.streaming.FreshetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Binds the static tables of a plan's stream–static joins to the session, which reads them as bounded queries, and
 * sets when the joins read them again ({@code static-join.reload}).
 */
final class StaticTables {
  private StaticTables() {
  }

  /** {@code plan} with each stream–static join able to read its table. */
  static StreamPlan bind(StreamPlan plan, FreshetSession session) {
    StreamPlan bound = plan;
    String reload = session.conf().get(RuntimeConfig.STATIC_RELOAD);
    long every = reload == null ? 0 : RuntimeConfig.reloadEvery(reload);
    boolean onChange = reload != null && reload.trim().equalsIgnoreCase("on-change");
    for (PlanNode node : plan.nodes()) {
      if (node.factory() instanceof StaticJoinOperator.Spec spec) {
        if (reload != null && (every > 0 || onChange)
            && plan.changelogMode(node.inputs().get(0)) == io.freshet.exec.plan.ChangelogMode.RETRACT) {
          throw FreshetException.user("'static-join.reload' = '" + reload + "' cannot be used with a join of the "
              + "changing rows of an aggregation with the static table " + spec.table() + ": a changed row would "
              + "take back its join with the table as read now, not as it was joined; RESET 'static-join.reload'");
        }
        StaticJoinOperator.Spec withReload = spec.withReload(every, onChange).withReader(null);
        bound = bound.replace(node.id(), spec.values() != null ? withReload
            : withReload.withReader(reader(session, spec.table(), spec.tableSchema())));
      }
    }
    return bound;
  }

  private static StaticTableReader reader(FreshetSession session, String name, RowSchema schema) {
    TableDefinition table = session.catalog().get(name);
    String path = table.connectorOptions().get("path");
    return new StaticTableReader() {
      @Override
      public List<Batch> read(BufferAllocator allocator) {
        String quoted = Arrays.stream(name.split("\\.")).map(p -> "`" + p + "`").collect(Collectors.joining("."));
        return List.of(BatchBuilder.of(schema, allocator, session.sql("SELECT * FROM " + quoted).collectAsList()));
      }

      @Override
      public String fingerprint() {
        return path == null ? null : listing(Path.of(path));
      }
    };
  }

  /** The names, sizes and modification times of the files under {@code root}. */
  private static String listing(Path root) {
    if (!Files.exists(root)) {
      return "";
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).sorted().map(p -> {
        try {
          return p + ":" + Files.size(p) + ":" + Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
          return p + ":gone";
        }
      }).collect(Collectors.joining("\n"));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw FreshetException.user("Cannot list the files of " + root + " to see whether a static table changed: "
          + e.getMessage());
    }
  }
}
