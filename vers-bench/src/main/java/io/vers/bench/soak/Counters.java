package io.vers.bench.soak;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Operations done by a soak run, by kind. Thread-safe. */
public final class Counters {
  /** The kinds of operation a soak run does. */
  public enum Kind {
    /** {@code add} of an id that was not present. */
    ADD,
    /** {@code add} replacing the vector of a present id. */
    UPSERT,
    /** {@code remove} of a present id. */
    REMOVE,
    /** {@code search} of one query. */
    SEARCH,
    /** {@code searchBatch} of a few queries (counted per call). */
    SEARCH_BATCH,
    /** {@code vector(id)}. */
    VECTOR,
    /** A save through {@code IndexIO.save}. */
    SAVE,
    /** A load through {@code IndexIO.load}, compared with the state at its save. */
    LOAD
  }

  private final Map<Kind, LongAdder> counts = new EnumMap<>(Kind.class);

  /** All counts at zero. */
  public Counters() {
    for (Kind kind : Kind.values()) {
      counts.put(kind, new LongAdder());
    }
  }

  void add(Kind kind) {
    counts.get(kind).increment();
  }

  /** How many operations of {@code kind} were done. */
  public long count(Kind kind) {
    return counts.get(kind).sum();
  }
}
