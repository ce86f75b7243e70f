package io.freshet.spark.rdd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each task's own copy of a program's function, as Spark ships every task its closure serialized: objects the
 * function captures (a date format, a matcher, a cache) are then never shared between tasks running at once.
 * Accumulators and broadcast variables stay the program's own objects in every copy (they are made for sharing:
 * an accumulator adds up what all tasks add). A function that cannot be serialized (Spark would refuse it: "Task
 * not serializable") is shared by the tasks as it is, and must then be safe to call from several threads.
 */
public final class Closures {
  private static final Logger LOG = LoggerFactory.getLogger(Closures.class);
  /** While a function is serialized: the objects that its copies share with it, by position. */
  private static final ThreadLocal<List<Object>> SHARING = new ThreadLocal<>();

  private Closures() {
  }

  /** Copies of {@code f} for tasks: a fresh one at each call ({@code f} itself when it cannot be serialized). */
  public static <F> Supplier<F> perTask(F f) {
    if (f == null || !(f instanceof Serializable)) {
      return () -> f;
    }
    return new Copier<>(f);
  }

  /**
   * For the {@code writeReplace} of an object that copies must share (accumulators, broadcasts): while a task's
   * copy is made, a reference standing for {@code self}; otherwise {@code self}, serialized as usual.
   */
  public static Object shareInCopies(Object self) {
    List<Object> shared = SHARING.get();
    if (shared == null) {
      return self;
    }
    shared.add(self);
    return new SharedRef(shared, shared.size() - 1);
  }

  /** Stands for a shared object in a copy's bytes; resolves to the very object when the copy is read. */
  private static final class SharedRef implements Serializable {
    private static final long serialVersionUID = 1L;
    private final transient List<Object> objects;
    private final int index;

    SharedRef(List<Object> objects, int index) {
      this.objects = objects;
      this.index = index;
    }

    private Object readResolve() {
      List<Object> shared = READING.get();
      if (shared == null) {
        throw new IllegalStateException("a shared object read outside a task's copy");
      }
      return shared.get(index);
    }
  }

  private static final ThreadLocal<List<Object>> READING = new ThreadLocal<>();

  private static final class Copier<F> implements Supplier<F> {
    private final F original;
    private volatile byte[] bytes;
    private volatile List<Object> shared;
    /** The classes written, by name: a program's own loader (a program run from source) finds them again. */
    private volatile java.util.Map<String, Class<?>> classes;
    private volatile boolean asIs;

    Copier(F original) {
      this.original = original;
    }

    @Override
    public F get() {
      if (!asIs && bytes == null) {
        serialize();
      }
      if (asIs) {
        return original;
      }
      List<Object> outer = READING.get();
      READING.set(shared);
      try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes), classes)) {
        @SuppressWarnings("unchecked")
        F copy = (F) in.readObject();
        return copy;
      } catch (IOException | ClassNotFoundException | RuntimeException | StackOverflowError e) {
        LOG.warn("Could not copy {} for a task; the tasks share it (it must be safe to call from several threads)",
            original, e);
        asIs = true;
        return original;
      } finally {
        restore(READING, outer);
      }
    }

    private synchronized void serialize() {
      if (asIs || bytes != null) {
        return;
      }
      List<Object> outer = SHARING.get();
      List<Object> objects = new ArrayList<>();
      SHARING.set(objects);
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.Map<String, Class<?>> written = new java.util.HashMap<>();
        try (ObjectOutputStream o = new ObjectOutputStream(out) {
          @Override
          protected void annotateClass(Class<?> cl) {
            written.put(cl.getName(), cl);
          }
        }) {
          o.writeObject(original);
        }
        shared = objects;
        classes = written;
        bytes = out.toByteArray();
      } catch (IOException | RuntimeException | StackOverflowError e) {
        LOG.debug("{} cannot be serialized; the tasks share it", original, e);
        asIs = true;
      } finally {
        restore(SHARING, outer);
      }
    }
  }

  private static void restore(ThreadLocal<List<Object>> local, List<Object> outer) {
    if (outer == null) {
      local.remove();
    } else {
      local.set(outer);
    }
  }

  /** Reads back the very classes that were written (whatever loader defined them), else looks them up. */
  private static final class LoaderInput extends ObjectInputStream {
    private final java.util.Map<String, Class<?>> classes;

    LoaderInput(InputStream in, java.util.Map<String, Class<?>> classes) throws IOException {
      super(in);
      this.classes = classes;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      Class<?> known = classes.get(desc.getName());
      return known != null ? known : super.resolveClass(desc);
    }
  }
}
