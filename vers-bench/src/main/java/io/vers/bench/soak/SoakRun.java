package io.vers.bench.soak;

import io.vers.api.BatchResults;
import io.vers.api.Index;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.io.IndexIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Supplier;

/**
 * A soak test of one index: writer threads add, upsert and remove vectors, reader threads search
 * (one query and batches) and read vectors by id, and a saver thread saves the index through
 * {@link IndexIO} every few seconds, loads the file back and compares the loaded index with the live
 * index's state at the instant of the save. Every read is checked against invariants; every broken
 * one is a {@link Violations violation}.
 *
 * <h2>What is checked</h2>
 * <ul>
 *   <li>Search results (single and batch): at most {@code k}, distances ascending, none NaN, no id twice,
 *       every id one that some writer has added.
 *   <li>{@code vector(id)}: an id never added has none; a vector has the index's dimension and finite
 *       components.
 *   <li>Each writer owns the ids congruent to its number modulo the writer count, so it knows their
 *       state: after its {@code add} the id is present with that vector (exactly under L2 and DOT,
 *       the same direction under COSINE), after its {@code remove} it is absent, and {@code remove}
 *       reports whether the id was there.
 *   <li>{@code size()} is at most the number of distinct ids ever added.
 *   <li>At every save, the expected state (every id and its vector, read from the live index) is
 *       captured inside {@link Index#withSnapshot}, the moment the saved snapshot is taken, while
 *       writers wait; the loaded index must have the same algorithm, dimension, metric, size, ids and
 *       bit-identical vectors, and answer a search.
 * </ul>
 *
 * <p>A run is not restartable: create one per soak.
 */
public final class SoakRun {
  /** Queries per {@code searchBatch} call. */
  private static final int BATCH = 4;

  private final Config config;
  private final Supplier<Index> factory;
  private final Violations violations;
  private final Counters counters = new Counters();
  private final AtomicBoolean stop = new AtomicBoolean();
  /** 1 for an id some writer has started adding: results may hold only such ids. */
  private final AtomicIntegerArray everAdded;
  private final AtomicInteger distinctAdded = new AtomicInteger();
  private Index index;
  private volatile long startNanos;
  private volatile long endNanos;

  /**
   * The settings of a run.
   *
   * @param algorithm the algorithm's name, for messages
   * @param metric the index's metric
   * @param dimension the vectors' dimension
   * @param size the number of vectors added before the run; writers keep about as many, over ids
   *     {@code 0} to {@code 2 * size - 1}
   * @param writers writer threads (at least 1)
   * @param readers reader threads (at least 1)
   * @param durationMillis how long writers and readers run
   * @param saveEveryMillis the pause between the end of one save-and-load check and the next save
   * @param dir where the index file is written (and removed at the end)
   * @param seed the seed of every random choice
   */
  public record Config(String algorithm, Metric metric, int dimension, int size, int writers, int readers,
      long durationMillis, long saveEveryMillis, Path dir, long seed) {
    /** Checks the settings. */
    public Config {
      if (dimension < 1 || size < 1 || writers < 1 || readers < 1 || durationMillis < 0 || saveEveryMillis < 0) {
        throw new IllegalArgumentException("dimension, size, writers and readers must be at least 1 and the times"
            + " at least 0; got dimension " + dimension + ", size " + size + ", " + writers + " writers, " + readers
            + " readers, duration " + durationMillis + " ms, save every " + saveEveryMillis + " ms");
      }
    }
  }

  /**
   * A run over indexes from {@code factory} (called once; the index must be empty).
   *
   * @param violations where broken invariants are reported
   */
  public SoakRun(Config config, Supplier<Index> factory, Violations violations) {
    this.config = config;
    this.factory = factory;
    this.violations = violations;
    this.everAdded = new AtomicIntegerArray(idSpace());
  }

  /** Counts of the operations done so far, by kind; safe to read while the run goes on. */
  public Counters counters() {
    return counters;
  }

  private int idSpace() {
    return 2 * config.size();
  }

  /**
   * Fills the index, runs writers, readers and the saver for the configured duration, and returns when
   * every thread has stopped.
   *
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public void run() throws InterruptedException {
    index = factory.get();
    Random random = new Random(config.seed());
    Writer[] writerState = new Writer[config.writers()];
    for (int w = 0; w < writerState.length; w++) {
      writerState[w] = new Writer(w, new SplittableRandom(random.nextLong()));
    }
    // Fill: every other id, each by its owning writer's bookkeeping.
    for (int id = 0; id < idSpace(); id += 2) {
      Writer owner = writerState[id % config.writers()];
      float[] v = owner.randomVector();
      markAdded(id);
      index.add(id, v);
      owner.present.put((long) id, v);
    }
    List<Thread> threads = new ArrayList<>();
    for (Writer w : writerState) {
      threads.add(thread(config.algorithm() + "-writer-" + w.number, w::loop));
    }
    for (int r = 0; r < config.readers(); r++) {
      SplittableRandom rr = new SplittableRandom(random.nextLong());
      threads.add(thread(config.algorithm() + "-reader-" + r, () -> readLoop(rr)));
    }
    threads.add(thread(config.algorithm() + "-saver", this::saveLoop));
    startNanos = System.nanoTime();
    threads.forEach(Thread::start);
    try {
      Thread.sleep(config.durationMillis());
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      endNanos = System.nanoTime();
    }
  }

  /**
   * Nanoseconds since writers and readers started (the initial fill excluded), up to their end once the
   * run is over; 0 before they start.
   */
  public long elapsedNanos() {
    long start = startNanos;
    if (start == 0) {
      return 0;
    }
    long end = endNanos;
    return (end != 0 ? end : System.nanoTime()) - start;
  }

  private Thread thread(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        violations.report(config.algorithm(), Thread.currentThread().getName() + " failed: " + e, e);
        stop.set(true);
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  private void markAdded(long id) {
    if (everAdded.getAndSet((int) id, 1) == 0) {
      distinctAdded.incrementAndGet();
    }
  }

  private void violation(String message) {
    violations.report(config.algorithm(), message, null);
  }

  // ---------------------------------------------------------------- writers

  /** One writer: the ids congruent to its number, and what it last stored under each of them. */
  private final class Writer {
    final int number;
    final SplittableRandom random;
    final Map<Long, float[]> present = new HashMap<>();

    Writer(int number, SplittableRandom random) {
      this.number = number;
      this.random = random;
    }

    float[] randomVector() {
      float[] v = new float[config.dimension()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (random.nextDouble() * 2 - 1);
      }
      return v;
    }

    void loop() {
      int owned = (idSpace() - number + config.writers() - 1) / config.writers();
      while (!stop.get()) {
        long id = number + (long) random.nextInt(owned) * config.writers();
        boolean isPresent = present.containsKey(id);
        if (!isPresent || random.nextBoolean()) {
          float[] v = randomVector();
          markAdded(id);
          index.add(id, v);
          present.put(id, v);
          counters.add(isPresent ? Counters.Kind.UPSERT : Counters.Kind.ADD);
          checkStored(id, v);
        } else {
          boolean removed = index.remove(id);
          present.remove(id);
          counters.add(Counters.Kind.REMOVE);
          if (!removed) {
            violation("remove(" + id + ") returned false for an id its writer had added and not removed");
          }
          if (index.contains(id) || index.vector(id).isPresent()) {
            violation("id " + id + " is still present after its remove");
          }
        }
      }
    }

    void checkStored(long id, float[] v) {
      Optional<float[]> stored = index.vector(id);
      if (stored.isEmpty() || !index.contains(id)) {
        violation("id " + id + " is missing right after its writer added it");
        return;
      }
      float[] s = stored.get();
      if (config.metric() == Metric.COSINE) {
        if (cosine(s, v) < 0.9999) {
          violation("id " + id + " holds a vector of another direction than the one added (cosine "
              + cosine(s, v) + ")");
        }
      } else if (!Arrays.equals(s, v)) {
        violation("id " + id + " holds " + Arrays.toString(s) + " right after " + Arrays.toString(v) + " was added");
      }
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  // ---------------------------------------------------------------- readers

  private void readLoop(SplittableRandom random) {
    int k = 10;
    while (!stop.get()) {
      int choice = random.nextInt(4);
      if (choice == 0) {
        float[][] queries = new float[BATCH][];
        for (int q = 0; q < BATCH; q++) {
          queries[q] = query(random);
        }
        BatchResults batch = index.searchBatch(queries, k, SearchParams.DEFAULT, 1);
        counters.add(Counters.Kind.SEARCH_BATCH);
        if (batch.count() != BATCH) {
          violation("searchBatch of " + BATCH + " queries returned " + batch.count() + " rows");
        }
        for (int q = 0; q < batch.count(); q++) {
          checkResults("searchBatch row " + q, batch.row(q), k);
        }
      } else if (choice == 1) {
        long id = random.nextInt(idSpace() + 10) - 5;
        Optional<float[]> v = index.vector(id);
        counters.add(Counters.Kind.VECTOR);
        if (v.isPresent()) {
          // Read after the call: an id is marked before its add starts, so a vector returned means it is marked.
          boolean added = id >= 0 && id < idSpace() && everAdded.get((int) id) == 1;
          if (!added) {
            violation("vector(" + id + ") returned a vector for an id never added");
          }
          checkVector("vector(" + id + ")", v.get());
        }
      } else {
        List<SearchResult> results = index.search(query(random), k);
        counters.add(Counters.Kind.SEARCH);
        checkResults("search", results, k);
        int size = index.size();
        int bound = distinctAdded.get();
        if (size < 0 || size > bound) {
          violation("size() is " + size + " but only " + bound + " distinct ids were ever added");
        }
      }
    }
  }

  private float[] query(SplittableRandom random) {
    float[] q = new float[config.dimension()];
    for (int i = 0; i < q.length; i++) {
      q[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return q;
  }

  private void checkVector(String what, float[] v) {
    if (v.length != config.dimension()) {
      violation(what + " has " + v.length + " components, not " + config.dimension());
      return;
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        violation(what + " holds " + x);
        return;
      }
    }
  }

  /** The invariants of one list of results for {@code k}. */
  void checkResults(String what, List<SearchResult> results, int k) {
    if (results.size() > k) {
      violation(what + " returned " + results.size() + " results for k = " + k);
    }
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < results.size(); i++) {
      SearchResult r = results.get(i);
      if (Float.isNaN(r.distance())) {
        violation(what + " returned a NaN distance at rank " + i + ": " + results);
        return;
      }
      if (i > 0 && results.get(i - 1).distance() > r.distance()) {
        violation(what + " returned results out of order at rank " + i + ": " + results);
        return;
      }
      if (!seen.add(r.id())) {
        violation(what + " returned id " + r.id() + " twice: " + results);
        return;
      }
      if (r.id() < 0 || r.id() >= idSpace() || everAdded.get((int) r.id()) == 0) {
        violation(what + " returned id " + r.id() + ", which was never added");
        return;
      }
    }
  }

  // ---------------------------------------------------------------- saves

  private void saveLoop() {
    Path file = config.dir().resolve("soak-" + config.algorithm() + "-" + Long.toHexString(config.seed()) + ".vers");
    try {
      boolean saved = false;
      while (!stop.get()) {
        sleepUntilStopOr(config.saveEveryMillis());
        if (stop.get()) {
          break;
        }
        saveAndCompare(file);
        saved = true;
      }
      if (!saved) { // a run shorter than the pause still checks one save and load
        saveAndCompare(file);
      }
    } catch (IOException e) {
      violation("saving or loading failed: " + e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        violation("could not remove " + file + ": " + e);
      }
    }
  }

  private void sleepUntilStopOr(long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (!stop.get() && System.nanoTime() < end) {
      try {
        Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Saves the index, capturing its state at the instant of the snapshot, then loads and compares. */
  void saveAndCompare(Path file) throws IOException {
    Map<Long, float[]> expected = new HashMap<>();
    IndexIO.save(Capture.capturing(index, () -> {
      expected.clear();
      index.ids().forEach(id -> expected.put(id, index.vector(id).orElse(null)));
    }), file);
    counters.add(Counters.Kind.SAVE);
    Index loaded = IndexIO.load(file);
    counters.add(Counters.Kind.LOAD);
    compare(expected, loaded);
  }

  private void compare(Map<Long, float[]> expected, Index loaded) {
    String where = "the index loaded from a save";
    if (!loaded.algorithm().equals(index.algorithm()) || loaded.dimension() != index.dimension()
        || loaded.metric() != index.metric()) {
      violation(where + " is a " + loaded.algorithm() + " index of dimension " + loaded.dimension() + " under "
          + loaded.metric() + ", saved from " + index.algorithm() + " " + index.dimension() + " " + index.metric());
      return;
    }
    if (loaded.size() != expected.size()) {
      violation(where + " has " + loaded.size() + " vectors; the live index had " + expected.size() + " at the save");
    }
    long[] ids = loaded.ids().toArray();
    int extra = 0;
    int differing = 0;
    long example = -1;
    for (long id : ids) {
      float[] want = expected.get(id);
      if (!expected.containsKey(id)) {
        extra++;
        example = id;
      } else if (want == null || !Arrays.equals(want, loaded.vector(id).orElse(null))) {
        differing++;
        example = id;
      }
    }
    int missing = expected.size() - (ids.length - extra);
    if (extra > 0 || missing > 0 || differing > 0) {
      violation(where + " differs from the live index at the save: " + extra + " ids it should not have, "
          + missing + " missing, " + differing + " with another vector (for example id " + example + ")");
    }
    float[] query = expected.values().stream().filter(v -> v != null).findFirst().orElse(null);
    if (query != null) {
      checkResults(where + ": search", loaded.search(query, 10), 10);
    }
  }
}
