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

  /** Copies of {@code f} for tasks: a fresh one each call (or {@code f} itself with one thread, or unserializable). */
  public static <F> Supplier<F> perTask(F f) {
    if (f == null || Tasks.threads() == 1 || !(f instanceof Serializable)) {
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
      READING.set(shared);
      try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes),
          original.getClass().getClassLoader())) {
        @SuppressWarnings("unchecked")
        F copy = (F) in.readObject();
        return copy;
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        LOG.debug("Could not copy {} for a task; the tasks share it", original, e);
        asIs = true;
        return original;
      } finally {
        READING.remove();
      }
    }

    private synchronized void serialize() {
      if (asIs || bytes != null) {
        return;
      }
      List<Object> objects = new ArrayList<>();
      SHARING.set(objects);
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
          o.writeObject(original);
        }
        shared = objects;
        bytes = out.toByteArray();
      } catch (IOException | RuntimeException e) {
        LOG.debug("{} cannot be serialized; the tasks share it", original, e);
        asIs = true;
      } finally {
        SHARING.remove();
      }
    }
  }

  /** Reads classes from the function's own class loader (a program launched from source has one of its own). */
  private static final class LoaderInput extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderInput(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // a class of the platform or of a parent loader: the default lookup below
        }
      }
      return super.resolveClass(desc);
    }
  }
}
