package io.freshet.exec.expr;

import io.freshet.exec.types.TypeKind;
import io.freshet.functions.ScalarFunction;
import io.freshet.streaming.FreshetException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/**
 * Calls a user-defined function's eval row by row: reads each argument's vector into the Java type of its
 * parameter, calls the method through a method handle and writes what it returns. NULL reaches a boxed parameter as
 * Java null; a primitive parameter given NULL gives NULL without a call. The function's instance is made (and
 * {@link ScalarFunction#open() opened}) on first use: one per kernel, so one per operator and thread.
 */
final class UserFunctionKernel implements VectorExpr {
  private final UserFunction.Overload overload;
  private final List<VectorExpr> args;
  private MethodHandle handle;

  /** The kernel of {@code overload} over {@code args}, each already of its parameter's engine type. */
  UserFunctionKernel(UserFunction.Overload overload, List<VectorExpr> args) {
    this.overload = overload;
    this.args = args;
  }

  @Override
  public TypeKind type() {
    return overload.result().kind();
  }

  @Override
  public FieldVector evaluate(EvalContext ctx) {
    MethodHandle call = handle();
    return Arguments.evaluate(args, ctx, type(), (in, out, n) -> {
      Object[] values = new Object[in.length];
      for (int i = 0; i < n; i++) {
        if (read(in, i, values)) {
          Object result = invoke(call, values);
          if (result != null) {
            overload.result().write(out, i, result);
          }
        }
      }
    });
  }

  /** Reads row {@code i}'s arguments into {@code values}; false when a primitive parameter would take NULL. */
  private boolean read(FieldVector[] in, int i, Object[] values) {
    for (int a = 0; a < in.length; a++) {
      int row = Arguments.row(args, a, i);
      if (Vectors.bit(Vectors.validity(in[a]), row)) {
        values[a] = overload.parameters().get(a).read(in[a], row);
      } else if (overload.primitive(a)) {
        return false;
      } else {
        values[a] = null;
      }
    }
    return true;
  }

  private Object invoke(MethodHandle call, Object[] values) {
    try {
      return call.invokeExact(values);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      throw failure("failed on " + render(values), e);
    }
  }

  private FreshetException failure(String what, Throwable e) {
    UserFunction f = overload.function();
    return FreshetException.user("Function " + f.name() + " (class " + f.implementation().getName() + ", "
        + overload + ") " + what + ": " + e, e);
  }

  private static String render(Object[] values) {
    List<String> shown = new ArrayList<>();
    for (Object v : values) {
      shown.add(v == null ? "NULL" : v instanceof String s ? "'" + s.replace("'", "''") + "'" : v.toString());
    }
    return "(" + String.join(", ", shown) + ")";
  }

  /** The eval method bound to this kernel's instance, taking an Object[] of arguments and giving an Object. */
  private MethodHandle handle() {
    if (handle != null) {
      return handle;
    }
    var method = overload.method();
    MethodHandle h;
    try {
      h = MethodHandles.publicLookup().unreflect(method);
    } catch (IllegalAccessException e) {
      throw failure("cannot be called", e);
    }
    if (!Modifier.isStatic(method.getModifiers())) {
      Object instance;
      try {
        instance = method.getDeclaringClass().getConstructor().newInstance();
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        throw failure("could not be made", e.getCause() != null ? e.getCause() : e);
      }
      if (instance instanceof ScalarFunction f) {
        try {
          f.open();
        } catch (Exception e) {
          throw failure("failed in open()", e);
        }
      }
      h = h.bindTo(instance);
    }
    handle = h.asSpreader(Object[].class, args.size())
        .asType(MethodType.methodType(Object.class, Object[].class));
    return handle;
  }
}
