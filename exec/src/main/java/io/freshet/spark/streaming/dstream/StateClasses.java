package io.freshet.spark.streaming.dstream;

import io.freshet.spark.SparkConf;
import io.freshet.streaming.FreshetException;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The classes a checkpoint may make objects of. A DStream checkpoint keeps a value of the program's own class as
 * the JSON of its fields under the class's name (as {@link TaggedJson} writes it), so reading it back creates an
 * object of the class the file names; the name is checked first, and only these are made: the classes the program
 * declares as state, that is registers ({@link SparkConf#registerKryoClasses}, or their names in
 * {@code spark.kryo.classesToRegister}, as Spark's Kryo registration), and the classes of the values it has put in
 * a checkpoint itself since the JVM started; and the {@code java.util} collections, which the codec brings back as
 * the same kind of collection. (Strings, boxed numbers, booleans, {@code Tuple2} and Spark's {@code Optional} have
 * tags of their own and are never looked up by name.) Any other name is refused with {@link NotAllowed},
 * so a checkpoint file cannot make the program create an object of a class it chose.
 */
public final class StateClasses {
  /** Spark's key of the classes a program registers for serialization. */
  public static final String CONF_KEY = "spark.kryo.classesToRegister";

  /** The classes of the values this JVM has encoded: the running program's own, by their use. */
  private static final Map<String, Class<?>> ENCODED = new ConcurrentHashMap<>();

  private final Map<String, Class<?>> registered;

  private StateClasses(Map<String, Class<?>> registered) {
    this.registered = Map.copyOf(registered);
  }

  /** The classes a program's {@code conf} registers; a name that is not on the class path is refused. */
  public static StateClasses of(SparkConf conf) {
    Map<String, Class<?>> registered = new LinkedHashMap<>();
    ClassLoader loader = loader();
    for (String name : conf.get(CONF_KEY, "").split(",")) {
      String n = name.trim();
      if (n.isEmpty()) {
        continue;
      }
      try {
        registered.put(n, Class.forName(n, false, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        throw FreshetException.user("The class " + n + " that " + CONF_KEY + " names is not on the class path; "
            + "register the state classes of this program only", e);
      }
    }
    return new StateClasses(registered);
  }

  /** No class registered: only what this JVM encoded, and the java.util collections. */
  static StateClasses none() {
    return new StateClasses(Map.of());
  }

  /** Records that the program encoded a value of {@code type}: its checkpoints may make objects of it. */
  static void encoded(Class<?> type) {
    ENCODED.putIfAbsent(type.getName(), type);
  }

  /**
   * The class of an object the checkpoint {@code where} names as {@code name} (the {@code Object} of tagged JSON),
   * or {@link NotAllowed}.
   */
  Class<?> objectClass(String name, String where) {
    Class<?> type = declared(name);
    if (type == null) {
      throw new NotAllowed(name, where);
    }
    return type;
  }

  /**
   * The collection class {@code name}, of {@code kind}, that a checkpoint's {@code as} names, to make an empty one
   * of: a declared class, or a {@code java.util} collection with a public no-argument constructor; null for
   * another {@code java.util} class (an immutable collection, which comes back as the codec's own kind); else
   * {@link NotAllowed}.
   */
  Class<?> collectionClass(String name, Class<?> kind, String where) {
    Class<?> type = declared(name);
    if (type == null && name.startsWith("java.util.")) {
      try {
        // The platform's loader: only the JDK's own classes, never the program's or a library's.
        type = Class.forName(name, false, ClassLoader.getPlatformClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return null;
      }
      return kind.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers()) && hasPublicConstructor(type)
          ? type : null;
    }
    if (type == null) {
      throw new NotAllowed(name, where);
    }
    return kind.isAssignableFrom(type) ? type : null;
  }

  private Class<?> declared(String name) {
    Class<?> type = registered.get(name);
    if (type == null) {
      type = ENCODED.get(name);
    }
    return type;
  }

  private static boolean hasPublicConstructor(Class<?> type) {
    try {
      type.getConstructor();
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : StateClasses.class.getClassLoader();
  }

  /** A checkpoint names a class the program does not declare as state. */
  public static final class NotAllowed extends FreshetException {
    NotAllowed(String name, String where) {
      super(Kind.USER, "The checkpoint file " + where + " holds a value of class " + name + ", which this program "
          + "does not declare as state, so it is not made: a checkpoint may only create objects of the classes a "
          + "program keeps in its state. If " + name + " is a class of this program's state (or of what its "
          + "receiver stores), register it before the context is created: conf.registerKryoClasses(new Class<?>[] {"
          + name.substring(name.lastIndexOf('.') + 1).replace('$', '.') + ".class}), or add its name to "
          + CONF_KEY + ". Otherwise this checkpoint is not this program's: use a new checkpoint directory");
    }
  }
}
