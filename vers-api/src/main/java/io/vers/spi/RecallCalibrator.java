package io.vers.spi;

import io.vers.api.Calibration;
import io.vers.api.Index;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures an index's recall@k against one search knob and keeps the table, one per {@code k}, until
 * the index has changed by half: {@linkplain #recordWrites writes} since the table was measured reach
 * half the size it was measured at. For index implementations; no compatibility promise to
 * applications.
 *
 * <p>The measurement: up to {@value #SAMPLE_QUERIES} stored vectors, drawn with a fixed seed, are the
 * queries; each one's exact {@code k} neighbours come from {@link Index#searchExact} with the query's own
 * id left out, and each step of the knob ladder searches {@code k + 1} and drops the own id the same way,
 * so a stored vector finding itself adds nothing; an index built around its vectors (a graph) can
 * instead search each sample as if it were not there ({@link HeldOutSearch}). Recall counts a result as a hit when it is no farther
 * than the {@code k}-th exact neighbour (ties are interchangeable). The ladder stops at the first value
 * that finds every neighbour; the recall column is made non-decreasing.
 *
 * <p>An index must resolve a target recall before it takes any lock its searches take: measuring runs
 * searches on other threads.
 */
public final class RecallCalibrator {
  /** The most stored vectors used as queries. */
  public static final int SAMPLE_QUERIES = 250;

  /** The knob values to measure, increasing, for a search of {@code k} results. */
  @FunctionalInterface
  public interface Ladder {
    int[] values(int k);
  }

  /**
   * Searches for the {@code k} nearest of the stored vector of {@code heldOut} with the knob at
   * {@code value}, as if that vector were not in the index, leaving it out of the answer: for an index
   * whose structure was built around its stored vectors (a graph), so that the search is not helped by
   * starting from the query's own place in it.
   */
  @FunctionalInterface
  public interface HeldOutSearch {
    List<SearchResult> search(float[] stored, long heldOut, int k, int value);
  }

  private record Table(Calibration calibration, long writesAt) {}

  private final Index index;
  private final String knob;
  private final Ladder ladder;
  private final HeldOutSearch heldOut;
  private final LongAdder writes = new LongAdder();
  private final ConcurrentHashMap<Integer, Table> tables = new ConcurrentHashMap<>();

  /**
   * @param index the index measured; it must implement {@link Index#ids}, {@link Index#vector} and
   *     {@link Index#searchExact}
   * @param knob the canonical name of the knob the ladder sets
   */
  public RecallCalibrator(Index index, String knob, Ladder ladder) {
    this(index, knob, ladder, null);
  }

  /**
   * As {@link #RecallCalibrator(Index, String, Ladder)}, searching the sample with {@code heldOut}
   * instead of a search of {@code k + 1} that drops the query's own id.
   */
  public RecallCalibrator(Index index, String knob, Ladder ladder, HeldOutSearch heldOut) {
    this.index = index;
    this.knob = knob;
    this.ladder = ladder;
    this.heldOut = heldOut;
  }

  /** Counts {@code n} writes (adds, upserts or removals) towards making the tables stale. */
  public void recordWrites(long n) {
    writes.add(n);
  }

  /** Drops every table, for an index that was replaced wholesale. */
  public void invalidate() {
    tables.clear();
  }

  /** The knob value for a recall@k of at least {@code targetRecall}, measuring first when needed. */
  public int valueFor(int k, double targetRecall) {
    return calibration(k).valueFor(targetRecall).orElse(ladder.values(k)[0]);
  }

  /** The current table for {@code k}, measured now if there is none or it is stale. */
  public Calibration calibration(int k) {
    Table table = tables.get(k);
    if (table != null && !stale(table)) {
      return table.calibration;
    }
    synchronized (this) {
      table = tables.get(k);
      if (table == null || stale(table)) {
        long at = writes.sum();
        table = new Table(measure(k), at);
        tables.put(k, table);
      }
      return table.calibration;
    }
  }

  private boolean stale(Table table) {
    return writes.sum() - table.writesAt >= Math.max(1, table.calibration.indexSize() / 2);
  }

  private Calibration measure(int k) {
    long[] all = index.ids().toArray();
    int[] values = ladder.values(k);
    int m = Math.min(SAMPLE_QUERIES, all.length);
    Random random = new Random(0x5EED ^ all.length);
    for (int i = 0; i < m; i++) { // partial Fisher-Yates: the first m are the sample
      int j = i + random.nextInt(all.length - i);
      long t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    long[] self = new long[m];
    List<float[]> queries = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      Optional<float[]> v = index.vector(all[i]);
      if (v.isPresent()) { // absent if removed since ids() was read
        self[queries.size()] = all[i];
        queries.add(v.get());
      }
    }
    int q = queries.size();
    float[] kth = new float[q];
    int[] expected = new int[q];
    int threads = Runtime.getRuntime().availableProcessors();
    Parallel.forEachBlock(q, threads, 4, (worker, from, to) -> {
      for (int i = from; i < to; i++) {
        List<SearchResult> exact = withoutSelf(index.searchExact(queries.get(i), k + 1, SearchParams.DEFAULT),
            self[i], k);
        expected[i] = exact.size();
        kth[i] = exact.isEmpty() ? Float.NEGATIVE_INFINITY : exact.get(exact.size() - 1).distance();
      }
    });
    List<Calibration.Point> points = new ArrayList<>();
    double best = 0;
    for (int value : values) {
      SearchParams params = SearchParams.builder().set(knob, value).build();
      double[] recall = new double[q];
      Parallel.forEachBlock(q, threads, 4, (worker, from, to) -> {
        for (int i = from; i < to; i++) {
          if (expected[i] == 0) {
            recall[i] = 1;
            continue;
          }
          List<SearchResult> got = heldOut != null ? heldOut.search(queries.get(i), self[i], k, value)
              : withoutSelf(index.search(queries.get(i), k + 1, params), self[i], k);
          float slack = 1e-4f * Math.max(1, Math.abs(kth[i]));
          int hits = 0;
          for (SearchResult r : got) {
            if (r.distance() <= kth[i] + slack) {
              hits++;
            }
          }
          recall[i] = Math.min(hits, expected[i]) / (double) expected[i];
        }
      });
      double mean = 1;
      if (q > 0) {
        double sum = 0;
        for (double r : recall) {
          sum += r;
        }
        mean = sum / q;
      }
      best = Math.max(best, mean);
      points.add(new Calibration.Point(value, best));
      if (best >= 1 - 1e-9) {
        break;
      }
    }
    return new Calibration(Optional.of(knob), k, q, all.length, points);
  }

  private static List<SearchResult> withoutSelf(List<SearchResult> results, long self, int k) {
    List<SearchResult> out = new ArrayList<>(k);
    for (SearchResult r : results) {
      if (r.id() != self && out.size() < k) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Increasing whole numbers from {@code from} to {@code to} (both included), each about {@code ratio}
   * times the one before: a ladder fine enough that the value picked for a target is within a step of
   * the best.
   */
  public static int[] geometric(int from, int to, double ratio) {
    List<Integer> out = new ArrayList<>();
    double x = Math.max(1, from);
    int last = 0;
    while (last < to) {
      int v = (int) Math.min(to, Math.max(last + 1, Math.round(x)));
      out.add(v);
      last = v;
      x *= ratio;
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
