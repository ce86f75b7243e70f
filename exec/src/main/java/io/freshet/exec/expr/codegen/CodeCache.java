package io.freshet.exec.expr.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.codehaus.commons.compiler.CompileException;
import org.codehaus.commons.compiler.InternalCompilerException;
import org.codehaus.janino.SimpleCompiler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles generated sources with Janino, once per distinct source text: the same query planned twice, or run
 * in several partitions, compiles once. The cache keeps the {@value #CAPACITY} sources used last; each class has
 * a class loader of its own, so a class dropped from the cache is unloaded when no operator uses it any more.
 * Each generated source is logged at DEBUG by this class's logger when it is compiled.
 */
public final class CodeCache {
  private static final Logger LOG = LoggerFactory.getLogger(CodeCache.class);
  static final int CAPACITY = 256;
  private static final Map<String, Compiled> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Compiled> eldest) {
      return size() > CAPACITY;
    }
  };

  private CodeCache() { }

  /** One compiled source: its text, how long Janino took, and how many times its code has run on a batch. */
  public static final class Compiled {
    private final String source;
    private final Class<? extends CalcBody> type;
    private final long compileNanos;
    private final LongAdder runs = new LongAdder();

    private Compiled(String source, Class<? extends CalcBody> type, long compileNanos) {
      this.source = source;
      this.type = type;
      this.compileNanos = compileNanos;
    }

    public String source() {
      return source;
    }

    public long compileNanos() {
      return compileNanos;
    }

    /** How many times a filter or a projection of this code has run over a batch. */
    public long runs() {
      return runs.sum();
    }

    void ran() {
      runs.increment();
    }

    CalcBody newBody() {
      try {
        return type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot instantiate generated class " + type, e);
      }
    }
  }

  /** Janino rejected a generated source: a bug of the generator or a limit of the JVM; the kernels can run it. */
  static final class CannotCompile extends RuntimeException {
    CannotCompile(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The compiled class of {@code source}, compiled now unless it is cached; fails with {@link CannotCompile}. */
  static synchronized Compiled compile(String source) {
    Compiled compiled = CACHE.get(source);
    if (compiled == null) {
      long start = System.nanoTime();
      SimpleCompiler compiler = new SimpleCompiler();
      compiler.setParentClassLoader(CalcBody.class.getClassLoader());
      try {
        compiler.cook(source);
        Class<? extends CalcBody> type = compiler.getClassLoader().loadClass(CalcGenerator.CLASS_NAME)
            .asSubclass(CalcBody.class);
        compiled = new Compiled(source, type, System.nanoTime() - start);
      } catch (CompileException | InternalCompilerException | ClassNotFoundException e) {
        throw new CannotCompile("Generated code does not compile: " + e.getMessage() + "\n" + source, e);
      }
      LOG.debug("Compiled generated code in {} ms:\n{}", compiled.compileNanos / 1_000_000, source);
      CACHE.put(source, compiled);
    }
    return compiled;
  }

  /** The sources compiled and still cached, least recently used first: for debugging and tests. */
  public static synchronized List<Compiled> entries() {
    return new ArrayList<>(CACHE.values());
  }
}
