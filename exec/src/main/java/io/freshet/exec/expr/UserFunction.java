package io.freshet.exec.expr;

import io.freshet.streaming.FreshetException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A user-defined scalar function: a public class with a public constructor without arguments and one or more public
 * {@code eval} methods (Flink's convention), each an {@link Overload} whose parameter and result types are
 * {@link JavaValue}s. Loading checks all of that, so a class that does not fit is refused when it is declared.
 */
public final class UserFunction {
  private final String name;
  private final Class<?> implementation;
  private final List<Overload> overloads;

  private UserFunction(String name, Class<?> implementation, List<Method> evals) {
    this.name = name;
    this.implementation = implementation;
    this.overloads = evals.stream().map(m -> new Overload(this, m)).toList();
  }

  /**
   * Loads function {@code name} from class {@code className} through {@code loader}; {@code where} says where the
   * class was looked for, for the message when it is not found (e.g. "the classpath").
   */
  public static UserFunction load(String name, String className, ClassLoader loader, String where) {
    String prefix = "Function " + name + ": ";
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw FreshetException.user(prefix + "no class '" + className + "' in " + where + "; check the name (package "
          + "and class, e.g. 'com.example.CountChar'), and give the jar that holds it with USING JAR '/path/to/x.jar' "
          + "or put it on FRESHET_CLASSPATH");
    } catch (LinkageError e) {
      throw FreshetException.user(prefix + "class '" + className + "' cannot be loaded: " + e
          + "; is every class it needs in the jar or on FRESHET_CLASSPATH?", e);
    }
    if (!Modifier.isPublic(type.getModifiers()) || type.isInterface() || Modifier.isAbstract(type.getModifiers())
        || type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers())) {
      throw FreshetException.user(prefix + "class " + className + " must be a public, concrete (not abstract), "
          + "top-level or static nested class");
    }
    List<Method> evals = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals("eval") && !m.isBridge() && !m.isSynthetic())
        .sorted(Comparator.comparingInt(Method::getParameterCount).thenComparing(UserFunction::signature)).toList();
    if (evals.isEmpty()) {
      throw FreshetException.user(prefix + "class " + className + " has no public method named eval; a function "
          + "declares one or more, e.g. public Long eval(String text)");
    }
    for (Method m : evals) {
      check(prefix, m);
    }
    if (evals.stream().anyMatch(m -> !Modifier.isStatic(m.getModifiers()))) {
      try {
        Constructor<?> constructor = type.getConstructor();
        constructor.newInstance();
      } catch (NoSuchMethodException e) {
        throw FreshetException.user(prefix + "class " + className + " needs a public constructor without arguments");
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw FreshetException.user(prefix + "new " + className + "() failed: " + cause, cause);
      }
    }
    return new UserFunction(name, type, evals);
  }

  private static void check(String prefix, Method m) {
    if (m.isVarArgs()) {
      throw FreshetException.user(prefix + signature(m) + " takes a variable number of arguments, which Freshet "
          + "does not pass; declare an eval for each number of arguments");
    }
    for (Class<?> p : m.getParameterTypes()) {
      if (JavaValue.of(p) == null) {
        throw FreshetException.user(prefix + signature(m) + " takes a " + p.getName() + ", which SQL cannot pass; "
            + "use " + JavaValue.SUPPORTED);
      }
    }
    if (JavaValue.of(m.getReturnType()) == null) {
      throw FreshetException.user(prefix + signature(m) + " returns " + m.getReturnType().getName()
          + ", which SQL cannot take; return " + JavaValue.SUPPORTED);
    }
  }

  /** A method as messages write it: {@code CountChar.eval(String, String)}. */
  static String signature(Method m) {
    return m.getDeclaringClass().getSimpleName() + ".eval" + Arrays.stream(m.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
  }

  /** The name the function was declared with. */
  public String name() {
    return name;
  }

  /** The class that implements it. */
  public Class<?> implementation() {
    return implementation;
  }

  /** Its eval methods, in a stable order. */
  public List<Overload> overloads() {
    return overloads;
  }

  @Override
  public String toString() {
    return name;
  }

  /** One eval method of a function. */
  public static final class Overload {
    private final UserFunction function;
    private final Method method;
    private final List<JavaValue> parameters;
    private final JavaValue result;

    private Overload(UserFunction function, Method method) {
      this.function = function;
      this.method = method;
      List<JavaValue> params = new ArrayList<>();
      for (Class<?> p : method.getParameterTypes()) {
        params.add(JavaValue.of(p));
      }
      this.parameters = List.copyOf(params);
      this.result = JavaValue.of(method.getReturnType());
    }

    public UserFunction function() {
      return function;
    }

    public Method method() {
      return method;
    }

    /** The Java values of its parameters. */
    public List<JavaValue> parameters() {
      return parameters;
    }

    /** Whether parameter {@code i} is a primitive, which cannot take NULL. */
    public boolean primitive(int i) {
      return method.getParameterTypes()[i].isPrimitive();
    }

    public JavaValue result() {
      return result;
    }

    @Override
    public String toString() {
      return signature(method);
    }
  }
}
