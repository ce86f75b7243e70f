package io.freshet.exec.state;

import io.freshet.streaming.FreshetException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where stateful operators keep state that may outgrow memory, as chosen by {@code SET 'state-store'}. With
 * {@link #MEMORY} an operator keeps its state in structures of its own on the heap (counted against the memory
 * limit) and writes it to the checkpoint as Arrow files through its {@link StateStore}. With {@link #ROCKSDB} it
 * asks for a {@link KeyValueState} that pages to disk and makes its own checkpoint in the operator's state
 * directory. Every stateful operator uses it: aggregations windowed or not (with their distinct values), sessions,
 * and Top-N with or without a window.
 */
public interface StateBackend {

  /** State on the heap, checkpointed as Arrow files. */
  StateBackend MEMORY = new StateBackend() {
    @Override
    public String name() {
      return "memory";
    }

    @Override
    public KeyValueState open(Path directory, String operator) {
      return null;
    }
  };

  /** State in RocksDB, one database per partition of each operator, checkpointed incrementally. */
  StateBackend ROCKSDB = new StateBackend() {
    @Override
    public String name() {
      return "rocksdb";
    }

    @Override
    public KeyValueState open(Path directory, String operator) {
      return new RocksDbState(directory, operator);
    }
  };

  /** {@code memory} or {@code rocksdb}, as the setting names it. */
  String name();

  /**
   * The key-value state of one partition of {@code operator} (named in messages), kept under {@code directory},
   * or null when this backend keeps state on the heap.
   */
  KeyValueState open(Path directory, String operator);

  /** Whether operators keep state in a {@link KeyValueState} rather than on the heap. */
  default boolean pagesToDisk() {
    return this != MEMORY;
  }

  /** The backend a setting names, or an error that says which there are. */
  static StateBackend named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "memory" -> MEMORY;
      case "rocksdb" -> ROCKSDB;
      default -> throw FreshetException.user("Setting 'state-store' is memory or rocksdb, not '" + name + "'");
    };
  }
}
