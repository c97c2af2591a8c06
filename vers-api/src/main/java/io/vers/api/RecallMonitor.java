package io.vers.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;

/**
 * An {@link Index} that passes every call to another and, for a sampled share of its searches, runs the
 * same query exactly ({@link Index#searchExact}) on one background thread and compares: a running
 * estimate of the recall@k your application actually gets, on its own queries.
 *
 * <pre>{@code
 * try (RecallMonitor monitored = RecallMonitor.wrap(index, 0.01)) {   // check 1% of searches
 *   serve(monitored);                                                 // use it as the index
 *   RecallMonitor.Estimate e = monitored.estimate();
 *   log("recall@k " + e.recall() + " in [" + e.lower() + ", " + e.upper() + "] over " + e.queries());
 * }
 * }</pre>
 *
 * <p>Bounds: at most {@value #QUEUE_CAPACITY} sampled queries wait (further samples are dropped and
 * counted, never blocking a search), and the checking thread sleeps between exact searches so that it
 * keeps at most {@code cpuShare} of one core busy. A search costs the caller one random draw, and for
 * a sampled query a copy of it and its ids. {@link #searchBatch} samples each row. {@link #close()}
 * stops the thread; the wrapped index stays usable.
 */
public final class RecallMonitor implements Index, AutoCloseable {
  /** The most sampled queries waiting to be checked. */
  public static final int QUEUE_CAPACITY = 64;

  /**
   * The recall estimate so far: the mean recall@k of the checked queries, with a 95% confidence
   * interval (normal approximation over the per-query recalls, clipped to [0, 1]).
   *
   * @param recall the mean, or NaN before any query was checked
   * @param lower the interval's lower end
   * @param upper the interval's upper end
   * @param queries the queries checked
   * @param dropped the sampled queries dropped because the queue was full
   */
  public record Estimate(double recall, double lower, double upper, long queries, long dropped) {}

  private record Sample(float[] query, int k, LongPredicate filter, long[] ids, float[] distances) {}

  private final Index index;
  private final double sampleRate;
  private final double cpuShare;
  private final BlockingQueue<Sample> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final Thread checker;
  private final AtomicLong dropped = new AtomicLong();
  /** Samples queued or being checked. */
  private final AtomicLong outstanding = new AtomicLong();
  private long checked;
  private double sum;
  private double sumSquares;
  private volatile boolean closed;

  private RecallMonitor(Index index, double sampleRate, double cpuShare) {
    this.index = index;
    this.sampleRate = sampleRate;
    this.cpuShare = cpuShare;
    this.checker = new Thread(this::check, "vers-recall-monitor");
    checker.setDaemon(true);
    checker.start();
  }

  /**
   * Monitors {@code index}, checking {@code sampleRate} of its searches with at most 10% of a core.
   *
   * @param index the index to monitor; its searches go through the returned monitor
   * @param sampleRate the share of searches checked against an exact search, in (0, 1]
   * @return the monitor, its checking thread started
   * @throws IllegalArgumentException if {@code sampleRate} is not in (0, 1]
   */
  public static RecallMonitor wrap(Index index, double sampleRate) {
    return wrap(index, sampleRate, 0.1);
  }

  /**
   * Monitors {@code index}, checking a share {@code sampleRate} of its searches, keeping the checking
   * thread's CPU use to {@code cpuShare} of one core.
   *
   * @param index the index to monitor; its searches go through the returned monitor
   * @param sampleRate the share of searches checked against an exact search, in (0, 1]
   * @param cpuShare the share of one core the checking thread may use, in (0, 1]
   * @return the monitor, its checking thread started
   * @throws IllegalArgumentException if {@code sampleRate} or {@code cpuShare} is not in (0, 1]
   */
  public static RecallMonitor wrap(Index index, double sampleRate, double cpuShare) {
    if (index == null) {
      throw new NullPointerException("index");
    }
    if (!(sampleRate > 0 && sampleRate <= 1) || !(cpuShare > 0 && cpuShare <= 1)) {
      throw new IllegalArgumentException("sampleRate and cpuShare must be fractions in (0, 1], got "
          + sampleRate + " and " + cpuShare);
    }
    return new RecallMonitor(index, sampleRate, cpuShare);
  }

  /** {@return the monitored index} */
  public Index delegate() {
    return index;
  }

  /**
   * The estimate from the queries checked so far.
   *
   * @return the mean recall with its 95% confidence interval, the number of queries checked and the number
   *     dropped; the mean is NaN before the first check
   */
  public synchronized Estimate estimate() {
    if (checked == 0) {
      return new Estimate(Double.NaN, 0, 1, 0, dropped.get());
    }
    double mean = sum / checked;
    double variance = checked > 1 ? Math.max(0, (sumSquares - checked * mean * mean) / (checked - 1)) : 0.25;
    double half = 1.96 * Math.sqrt(variance / checked);
    return new Estimate(mean, Math.max(0, mean - half), Math.min(1, mean + half), checked, dropped.get());
  }

  /**
   * Waits until every query sampled so far has been checked, or the timeout passes.
   *
   * @param timeout how long to wait at most
   * @param unit the unit of {@code timeout}
   * @return whether the queue emptied in time
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitChecked(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (outstanding.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    checker.interrupt();
  }

  private void check() {
    while (!closed) {
      Sample s;
      try {
        s = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      long start = System.nanoTime();
      try {
        List<SearchResult> exact = index.searchExact(s.query, s.k,
            s.filter == null ? SearchParams.DEFAULT : SearchParams.builder().filter(s.filter).build());
        record(recall(exact, s.distances));
      } catch (RuntimeException e) {
        // the index changed under the query (a dimension cannot): nothing to learn from this sample
      } finally {
        outstanding.decrementAndGet();
      }
      long busy = System.nanoTime() - start;
      long rest = (long) (busy * (1 / cpuShare - 1));
      try {
        TimeUnit.NANOSECONDS.sleep(rest);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Share of the exact answer's results matched by a returned result no farther than its last. */
  private static double recall(List<SearchResult> exact, float[] returned) {
    if (exact.isEmpty()) {
      return 1;
    }
    float kth = exact.get(exact.size() - 1).distance();
    float slack = 1e-4f * Math.max(1, Math.abs(kth));
    int hits = 0;
    for (int i = 0; i < Math.min(returned.length, exact.size()); i++) {
      if (returned[i] <= kth + slack) {
        hits++;
      }
    }
    return hits / (double) exact.size();
  }

  private synchronized void record(double recall) {
    checked++;
    sum += recall;
    sumSquares += recall * recall;
  }

  private boolean sampled() {
    return !closed && ThreadLocalRandom.current().nextDouble() < sampleRate;
  }

  private void maybeSample(float[] query, int k, SearchParams params, List<SearchResult> results) {
    if (sampled()) {
      enqueue(query.clone(), k, params, results);
    }
  }

  private void enqueue(float[] query, int k, SearchParams params, List<SearchResult> results) {
    long[] ids = new long[results.size()];
    float[] distances = new float[results.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = results.get(i).id();
      distances[i] = results.get(i).distance();
    }
    outstanding.incrementAndGet();
    if (!queue.offer(new Sample(query, k, params.filter(), ids, distances))) {
      outstanding.decrementAndGet();
      dropped.incrementAndGet();
    }
  }

  // ---------------------------------------------------------------- searches, sampled

  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    List<SearchResult> results = index.search(query, k, params);
    maybeSample(query, k, params, results);
    return results;
  }

  @Override
  public BatchResults searchBatch(float[][] queries, int k, SearchParams params, int threads) {
    BatchResults results = index.searchBatch(queries, k, params, threads);
    for (int i = 0; i < queries.length; i++) {
      maybeSample(queries[i], k, params, results.row(i));
    }
    return results;
  }

  @Override
  public BatchResults searchBatch(float[] queries, int count, int k, SearchParams params, int threads) {
    BatchResults results = index.searchBatch(queries, count, k, params, threads);
    for (int i = 0; i < count; i++) {
      if (sampled()) {
        enqueue(Arrays.copyOfRange(queries, i * dimension(), (i + 1) * dimension()), k, params, results.row(i));
      }
    }
    return results;
  }

  // ---------------------------------------------------------------- everything else, passed on

  @Override
  public List<SearchResult> searchRange(float[] query, float maxDistance, int limit, SearchParams params) {
    return index.searchRange(query, maxDistance, limit, params);
  }

  @Override
  public List<SearchResult> searchExact(float[] query, int k, SearchParams params) {
    return index.searchExact(query, k, params);
  }

  @Override
  public String algorithm() {
    return index.algorithm();
  }

  @Override
  public int dimension() {
    return index.dimension();
  }

  @Override
  public Metric metric() {
    return index.metric();
  }

  @Override
  public int size() {
    return index.size();
  }

  @Override
  public void add(long id, float[] vector) {
    index.add(id, vector);
  }

  @Override
  public void addAll(long[] ids, float[][] vectors, AddOptions options) {
    index.addAll(ids, vectors, options);
  }

  @Override
  public boolean remove(long id) {
    return index.remove(id);
  }

  @Override
  public boolean contains(long id) {
    return index.contains(id);
  }

  @Override
  public Optional<float[]> vector(long id) {
    return index.vector(id);
  }

  @Override
  public LongStream ids() {
    return index.ids();
  }

  @Override
  public Calibration calibration(int k) {
    return index.calibration(k);
  }

  @Override
  public long ramBytesUsed() {
    return index.ramBytesUsed();
  }

  @Override
  public Map<String, Object> parameters() {
    return index.parameters();
  }

  @Override
  public IndexSnapshot snapshot() {
    return index.snapshot();
  }

  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    return index.withSnapshot(action);
  }

  @Override
  public String toString() {
    return "RecallMonitor{" + index + ", sampleRate=" + sampleRate + "}";
  }
}
