package io.vers.bench;

import io.vers.api.Index;
import io.vers.api.Metric;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place the command line saves and loads indexes. Persistence belongs to the vers-io module,
 * whose entry point is {@code io.vers.io.IndexIO}: {@code static void save(Index, Path)},
 * {@code static Index load(Path)} and {@code static IndexFileHeader readHeader(Path)} (a record with
 * {@code formatVersion()}, {@code algorithm()}, {@code dimension()}, {@code metric()}, {@code size()} and
 * {@code parameters()}). This class reaches it by name, so that the command line builds and runs (minus
 * {@code build}, {@code search} and {@code info}) whether or not vers-io is on the class path; when it is
 * missing, every method fails with a message saying so. Stateless; thread-safe.
 */
public final class IndexFiles {
  /** The persistence entry point of vers-io. */
  static final String IO_CLASS = "io.vers.io.IndexIO";

  /** The header reader: {@code static IndexFileHeader readHeader(Path)}. */
  private static final String HEADER_READER = "readHeader";

  private IndexFiles() {}

  /**
   * What {@code vers info} shows about a saved index.
   *
   * @param algorithm the provider name
   * @param dimension the vector dimension
   * @param metric the metric
   * @param size the number of vectors
   * @param parameters the build parameters
   * @param formatVersion the file format version, as vers-io reports it
   */
  public record Header(String algorithm, int dimension, Metric metric, long size, Map<String, ?> parameters,
      String formatVersion) {}

  /** Whether vers-io is on the class path. */
  public static boolean available() {
    return ioClass().isPresent();
  }

  /**
   * Fails unless vers-io is on the class path, so that commands can check before doing long work.
   *
   * @throws UnsupportedOperationException saying how to get vers-io
   */
  public static void requireAvailable() {
    requireIoClass();
  }

  /** Writes {@code index} to {@code file}, replacing it. */
  public static void save(Index index, Path file) throws IOException {
    invoke(method("save", Index.class, Path.class), index, file);
  }

  /** Reads the index saved in {@code file}. */
  public static Index load(Path file) throws IOException {
    return (Index) invoke(method("load", Path.class), file);
  }

  /**
   * Describes the index saved in {@code file}: from vers-io's header reader where it offers the field,
   * otherwise from the loaded index.
   */
  public static Header header(Path file) throws IOException {
    Class<?> io = requireIoClass();
    Method reader = findStatic(io, HEADER_READER, Path.class);
    Object header = reader == null ? null : invoke(reader, file);
    Index index = null;
    String algorithm = header == null ? null : (String) property(header, String.class, "algorithm");
    Object dimension = header == null ? null : property(header, Number.class, "dimension");
    Object metric = header == null ? null : property(header, Object.class, "metric");
    Object size = header == null ? null : property(header, Number.class, "size", "count");
    Object parameters = header == null ? null : property(header, Map.class, "parameters");
    Object version = header == null ? null : property(header, Object.class, "formatVersion", "version");
    if (algorithm == null || dimension == null || metric == null || size == null || parameters == null) {
      index = load(file);
    }
    return new Header(
        algorithm != null ? algorithm : index.algorithm(),
        dimension != null ? ((Number) dimension).intValue() : index.dimension(),
        metric instanceof Metric m ? m : metric != null ? Metric.parse(metric.toString()) : index.metric(),
        size != null ? ((Number) size).longValue() : index.size(),
        parameters != null ? copy((Map<?, ?>) parameters) : index.parameters(),
        version != null ? version.toString() : "unknown (vers-io reports no format version)");
  }

  private static Map<String, Object> copy(Map<?, ?> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static Object property(Object target, Class<?> type, String... names) {
    for (String name : names) {
      for (String candidate : new String[] {name, "get" + Character.toUpperCase(name.charAt(0)) + name.substring(1)}) {
        try {
          Method m = target.getClass().getMethod(candidate);
          if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
            m.setAccessible(true);
            Object value = m.invoke(target);
            if (value != null && type.isInstance(value)) {
              return value;
            }
          }
        } catch (NoSuchMethodException e) {
          // try the next spelling
        } catch (ReflectiveOperationException | RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Optional<Class<?>> ioClass() {
    try {
      return Optional.of(Class.forName(IO_CLASS, true, IndexFiles.class.getClassLoader()));
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static Class<?> requireIoClass() {
    return ioClass().orElseThrow(() -> new UnsupportedOperationException(
        "saving and loading indexes needs the vers-io module (" + IO_CLASS + "), which is not on the class path;"
            + " build it with 'mvn -B -DskipTests install' at the repository root (./vers does this on first use)"));
  }

  private static Method method(String name, Class<?>... parameters) {
    Class<?> io = requireIoClass();
    Method m = findStatic(io, name, parameters);
    if (m == null) {
      throw new UnsupportedOperationException(IO_CLASS + " has no static " + name + "("
          + String.join(", ", java.util.Arrays.stream(parameters).map(Class::getSimpleName).toList())
          + "); the vers-io module on the class path does not match this command line: rebuild both");
    }
    return m;
  }

  private static Method findStatic(Class<?> type, String name, Class<?>... parameters) {
    try {
      Method m = type.getMethod(name, parameters);
      return Modifier.isStatic(m.getModifiers()) ? m : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static Object invoke(Method method, Object... args) throws IOException {
    try {
      return method.invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + method + ": " + e.getMessage(), e);
    }
  }
}
