package io.vers.bench.peers;

import io.vers.api.ParameterSpec;
import io.vers.bench.harness.Contender;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The other libraries {@code vers bench} can run side by side with vers. */
public final class Peers {
  /**
   * The HNSW graph degree, shared by vers' HNSW and the peers so that they build comparable graphs:
   * neighbours per node on the upper layers, twice as many on the bottom one.
   */
  public static final ParameterSpec M = ParameterSpec.ofInt("M", 16, 2, 512,
      "maximum neighbours per node on the upper layers (twice as many on the bottom layer)", "num_neighbours",
      "maxConn");

  /** The HNSW construction beam, shared like {@link #M}. */
  public static final ParameterSpec EF_CONSTRUCTION = ParameterSpec.ofInt("efConstruction", 200, 1, 1 << 16,
      "candidate list size while building", "ef_construction", "beamWidth");

  /**
   * The peers log their SIMD status through java.util.logging as a warning on first use; {@code vers
   * bench} reports it in its header instead. Held strongly so that the levels stick.
   */
  private static final List<Logger> QUIETED = quiet("io.github.jbellis.jvector.vector",
      "org.apache.lucene.internal.vectorization");

  private static final List<Contender> ALL =
      List.of(new HnswlibJavaContender(), new JVectorContender(), new LuceneHnswContender());

  private Peers() {}

  private static List<Logger> quiet(String... names) {
    List<Logger> loggers = new java.util.ArrayList<>();
    for (String name : names) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.OFF);
      loggers.add(logger);
    }
    return List.copyOf(loggers);
  }

  /** Every peer, by name. */
  public static List<Contender> all() {
    return ALL;
  }

  /** The peer named {@code name}, ignoring case. */
  public static Optional<Contender> find(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    return ALL.stream().filter(p -> p.name().equals(key)).findFirst();
  }
}
