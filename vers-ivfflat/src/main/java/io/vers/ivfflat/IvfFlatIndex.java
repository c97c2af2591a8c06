package io.vers.ivfflat;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableMap;
import io.vers.api.AddOptions;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.InvalidParameterException;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.api.ProgressListener;
import io.vers.api.SearchParams;
import io.vers.api.SearchResult;
import io.vers.api.Vectors;
import io.vers.api.util.IdMap;
import io.vers.api.util.IndexLock;
import io.vers.api.util.NeighborQueue;
import io.vers.api.util.RamUsage;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;

/**
 * Inverted-file index with exact scan (IVF-Flat): k-means splits the vectors into {@code nlist} lists,
 * each vector in the list of its nearest centroid; a query ranks the centroids and scans the
 * {@code nprobe} nearest lists exactly. More lists scanned, higher recall and slower queries;
 * {@code nprobe = nlist} is exact search.
 *
 * <pre>{@code
 * IvfFlatIndex index = IvfFlatIndex.builder(784, Metric.L2).nprobe(16).build(ids, vectors, AddOptions.threads(8));
 * List<SearchResult> hits = index.search(query, 10, SearchParams.builder().nprobe(32).build());
 * }</pre>
 *
 * <h2>Structure</h2>
 * Each vector has a dense int ordinal ({@link IdMap}, as in the flat index: a removal moves the last
 * ordinal into the freed one). Each list keeps its vectors one after the other in one {@code float[]}
 * with a parallel {@code int[]} of ordinals, so a probe is one linear scan through the SIMD distance
 * kernels; a {@code long[]} by ordinal records each vector's list and position, for removal (the list's
 * last entry moves into the gap) and replacement.
 *
 * <h2>Search</h2>
 * The centroids are ranked as the index's metric ranks them, the {@code nprobe} nearest lists are
 * scanned nearest first into one bounded heap, and the id filter is applied during the scan, before a
 * vector's distance is computed. Should the probed lists hold fewer than {@code k}
 * accepted vectors, the next nearest lists are scanned too, so {@code min(k, accepted ids stored)}
 * results always come back. Ties in distance go to the lower ordinal, so probing every list returns
 * exactly what the flat index returns.
 *
 * <h2>Training</h2>
 * <ul>
 *   <li><b>Built from data</b> ({@link Builder#build(long[], float[][], AddOptions)}, or
 *       {@code Indexes.build("ivfflat", ...)}): k-means (see {@link KMeans}) trains on the batch with
 *       the given threads, then every vector goes to its nearest centroid's list. {@code nlist} defaults
 *       to {@code floor(4 * sqrt(n))}, and is never more than {@code n}. Under COSINE the vectors are
 *       unit length and k-means is spherical (unit centroids).
 *   <li><b>Created empty</b>: until trained, the index keeps every vector in a single list and answers
 *       every query exactly (nprobe is ignored). It trains by itself once it holds
 *       {@value #MIN_POINTS_PER_LIST} vectors per list it would have ({@code 39 * nlist} when
 *       {@code nlist} is set; 24,258 vectors, giving 622 lists, when it is automatic). The write that
 *       reaches that size trains, on its own thread or its {@link AddOptions#threads()}, after it has
 *       stored its vectors: k-means runs on a copy of the vectors while searches and other writes go on
 *       against the untrained index; the lists are then rebuilt under the write lock. {@link #train(int)}
 *       trains (or re-trains, for example after the collection has grown) at any time.
 *   <li>After training, {@link #add} puts each vector in its nearest centroid's list; the centroids do
 *       not move until the next {@link #train(int)}.
 * </ul>
 *
 * <h2>Memory</h2>
 * Per vector: its floats, a 4-byte ordinal in its list, an 8-byte location and the id map's entry
 * (about 20 to 30 bytes); plus the centroids and spare list capacity (lists grow by half).
 *
 * <h2>Thread safety</h2>
 * Searches run concurrently with each other and with writes: searches share a read lock, writes
 * ({@code add}, {@code addAll}, {@code remove}, the last step of training) take the write lock, and
 * {@code addAll} computes its vectors' lists before taking it. A search sees each write entirely or not
 * at all. Per-thread search scratch is reused, so a search allocates only its result list.
 */
public final class IvfFlatIndex implements Index {
  /** Provider name. */
  public static final String NAME = "ivfflat";
  /**
   * Lists scanned per query when neither the index nor the query sets nprobe: with the automatic nlist,
   * recall@10 is about 0.99 on fashion-mnist (60,000 x 784, 979 lists) and 0.97 on sift5k (4,800 x
   * 128, 277 lists, whose small lists need the larger share).
   */
  public static final int DEFAULT_NPROBE = 24;
  /** An index created empty trains once it holds this many vectors per list it would have. */
  public static final int MIN_POINTS_PER_LIST = 39;
  /** The largest accepted nlist and nprobe. */
  public static final int MAX_LISTS = 1 << 20;

  static final List<ParameterSpec> PARAMETERS = List.of(
      ParameterSpec.ofInt("nlist", null, 1, MAX_LISTS,
          "number of inverted lists (k-means clusters); default floor(4 * sqrt(n)) of the vectors trained on",
          "num_clusters"),
      ParameterSpec.ofInt("nprobe", DEFAULT_NPROBE, 1, MAX_LISTS,
          "lists scanned per query unless the query's SearchParams sets nprobe; more is slower and more exact"),
      ParameterSpec.ofInt("attempts", 1, 1, 100,
          "independent k-means runs; the one with the lowest inertia is kept", "num_attempts"),
      ParameterSpec.ofInt("maxIterations", KMeans.DEFAULT_MAX_ITERATIONS, 1, 1000,
          "k-means iterations per run (fewer when the centroids settle)", "max_iterations"),
      ParameterSpec.ofLong("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE,
          "seed of k-means sampling and seeding; equal seeds and data give equal indexes"));

  private static final ThreadLocal<SearchScratch> SCRATCH = ThreadLocal.withInitial(SearchScratch::new);

  private final int dimension;
  private final Metric metric;
  private final IndexParams params;
  private final int configuredNlist;
  private final int defaultNprobe;
  private final IndexLock lock = new IndexLock();
  private final ReentrantLock trainLock = new ReentrantLock();

  /** Null until trained. Written under the write lock; volatile for the unlocked checks. */
  private volatile Centroids centroids;
  /** Caller ids to dense ordinals 0 .. size - 1; a removal moves the last ordinal into the freed one. */
  private final IdMap ids;
  /** One list holding everything until trained, then one per centroid. Guarded by {@link #lock}. */
  private InvertedList[] lists;
  /** By ordinal: {@code list << 32 | position}. Guarded by {@link #lock}. */
  private long[] locations;
  private int size;
  /**
   * The vector array restored lists read in place (see {@link IvfFlatState}), or null, and how many of
   * its floats lie in the regions of lists still reading it. Guarded by {@link #lock}.
   */
  private float[] adopted;
  private long adoptedInUse;
  /** Counts writes, so that training can tell whether the contents changed while it ran. */
  private long modCount;

  private IvfFlatIndex(int dimension, Metric metric, IndexParams params, IdMap ids) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    this.dimension = dimension;
    this.metric = Objects.requireNonNull(metric, "metric");
    this.params = params;
    this.configuredNlist = params.optionalInt("nlist").orElse(0);
    this.defaultNprobe = params.getInt("nprobe");
    this.ids = ids;
    this.lists = new InvertedList[] {new InvertedList(dimension)};
    this.locations = new long[16];
  }

  /** A builder for an index of {@code dimension} under {@code metric}. */
  public static Builder builder(int dimension, Metric metric) {
    return new Builder(dimension, metric);
  }

  /** An empty index with resolved parameters, as the provider creates it. */
  static IvfFlatIndex create(int dimension, Metric metric, IndexParams params) {
    return new IvfFlatIndex(dimension, metric, params, new IdMap());
  }

  /**
   * An index trained on and holding a batch: k-means on the batch, then every vector in its nearest
   * centroid's list. Ordinals follow the batch as {@code addAll} would give them: a repeated id keeps
   * its first ordinal and its last vector.
   */
  static IvfFlatIndex build(
      int dimension, Metric metric, IndexParams params, long[] ids, float[][] vectors, AddOptions options) {
    IvfFlatIndex index = new IvfFlatIndex(dimension, metric, params, new IdMap(ids.length));
    index.checkBatch(ids, vectors);
    int[] rowOfOrd = new int[ids.length];
    int n = 0;
    for (int i = 0; i < ids.length; i++) {
      int ord = index.ids.get(ids[i]);
      if (ord < 0) {
        ord = n++;
        index.ids.put(ids[i], ord);
      }
      rowOfOrd[ord] = i;
    }
    if (n > 0) {
      Rows rows = Rows.subset(Rows.jagged(index.storedForms(vectors), dimension), Arrays.copyOf(rowOfOrd, n));
      int nlist = index.nlistFor(n);
      KMeans.Result trained = index.kmeans(nlist, options.threads()).train(rows);
      index.lock.lockWrite();
      try {
        index.install(new Centroids(trained.centroids(), nlist, dimension), rows, trained.labels());
      } finally {
        index.lock.unlockWrite();
      }
    }
    options.progress().progress(ids.length, ids.length);
    return index;
  }

  // ------------------------------------------------------------------ accessors

  @Override
  public String algorithm() {
    return NAME;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public Metric metric() {
    return metric;
  }

  @Override
  public int size() {
    lock.lockRead();
    try {
      return size;
    } finally {
      lock.unlockRead();
    }
  }

  /** Whether the index has centroids; until then it keeps one list and searches exactly. */
  public boolean isTrained() {
    return centroids != null;
  }

  /** The number of lists in use: the centroid count once trained, 0 before. */
  public int nlist() {
    Centroids c = centroids;
    return c == null ? 0 : c.count();
  }

  /** The nprobe used when a query does not set one. */
  public int defaultNprobe() {
    return defaultNprobe;
  }

  /**
   * The resolved build parameters by canonical name, in declared order; {@code nlist} is the number of
   * lists in use once trained, and absent before when it was left automatic.
   */
  @Override
  public Map<String, Object> parameters() {
    int trainedLists = nlist();
    ImmutableMap.Builder<String, Object> out = ImmutableMap.builder();
    for (ParameterSpec spec : PARAMETERS) {
      Object value = spec.name().equals("nlist") && trainedLists > 0 ? trainedLists : params.asMap().get(spec.name());
      if (value != null) {
        out.put(spec.name(), value);
      }
    }
    return out.buildOrThrow();
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void add(long id, float[] vector) {
    Vectors.check(vector, dimension, metric, "vector for id " + id);
    float[] stored = metric.storedForm(vector);
    Centroids seen = centroids;
    int list = seen == null ? 0 : seen.nearest(stored, 0);
    lock.lockWrite();
    try {
      Centroids current = centroids;
      if (current != seen) {
        list = current == null ? 0 : current.nearest(stored, 0);
      }
      put(id, stored, 0, list);
      modCount++;
    } finally {
      lock.unlockWrite();
    }
    maybeTrain(1);
  }

  /**
   * Stores a batch: every vector is checked first, then the lists of all vectors are computed on
   * {@code options.threads()} threads without holding the write lock, then the batch is stored under
   * it. Duplicate ids within the batch: the last wins. May trigger training (see the class
   * documentation), which then uses the same threads.
   */
  @Override
  public void addAll(long[] ids, float[][] vectors, AddOptions options) {
    checkBatch(ids, vectors);
    float[][] stored = storedForms(vectors);
    Rows rows = Rows.jagged(stored, dimension);
    Progress progress = new Progress(options.progress(), ids.length);
    Centroids seen = centroids;
    int[] labels = seen == null ? null : assign(seen, rows, options.threads(), progress);
    lock.lockWrite();
    try {
      Centroids current = centroids;
      if (current != seen) {
        labels = current == null ? null : assign(current, rows, options.threads(), null);
      }
      for (int i = 0; i < ids.length; i++) {
        put(ids[i], stored[i], 0, labels == null ? 0 : labels[i]);
      }
      modCount++;
    } finally {
      lock.unlockWrite();
    }
    progress.finish();
    maybeTrain(options.threads());
  }

  @Override
  public boolean remove(long id) {
    lock.lockWrite();
    try {
      int ord = ids.remove(id);
      if (ord < 0) {
        return false;
      }
      long location = locations[ord];
      detach(listOf(location), positionOf(location));
      int last = size - 1;
      if (ord != last) {
        ids.put(ids.idOf(last), ord);
        long moved = locations[last];
        lists[listOf(moved)].setOrd(positionOf(moved), ord);
        locations[ord] = moved;
      }
      size = last;
      modCount++;
      return true;
    } finally {
      lock.unlockWrite();
    }
  }

  @Override
  public boolean contains(long id) {
    lock.lockRead();
    try {
      return ids.contains(id);
    } finally {
      lock.unlockRead();
    }
  }

  /**
   * Trains (or re-trains) the lists on the vectors stored now, with k-means on {@code threads} threads:
   * {@code nlist} as configured (at most the number of vectors), or {@code floor(4 * sqrt(n))} when
   * automatic. k-means runs on a copy while searches and writes continue; the lists are rebuilt under
   * the write lock (writes made meanwhile are kept). Does nothing on an empty index.
   */
  public void train(int threads) {
    checkArgument(threads >= 1, "threads must be at least 1, got %s", threads);
    trainLock.lock();
    try {
      retrain(threads);
    } finally {
      trainLock.unlock();
    }
  }

  /**
   * Stores one vector under the write lock: a new id takes the next ordinal; an existing id keeps its
   * ordinal and has its vector replaced in place, or moved when it now belongs to another list.
   */
  private void put(long id, float[] source, int offset, int list) {
    int ord = ids.get(id);
    if (ord >= 0) {
      long location = locations[ord];
      int oldList = listOf(location);
      if (oldList == list) {
        lists[list].set(positionOf(location), source, offset);
        return;
      }
      detach(oldList, positionOf(location));
    } else {
      ord = size;
      if (ord == locations.length) {
        locations = Arrays.copyOf(locations, (int) Math.min(Integer.MAX_VALUE - 8, ord + (ord >> 1) + 16L));
      }
      ids.put(id, ord);
      size++;
    }
    InvertedList target = lists[list];
    float[] before = target.vectors();
    int region = target.capacity() * dimension;
    locations[ord] = location(list, target.add(ord, source, offset));
    if (before == adopted && target.vectors() != before) {
      movedOut(region);
    }
  }

  /**
   * Notes that a list grew out of the adopted array. Once less than half of the array is in use, the
   * remaining lists move out too, so that the array can be collected: its unused part never exceeds
   * the part in use.
   */
  private void movedOut(int regionFloats) {
    adoptedInUse -= regionFloats;
    if (adoptedInUse * 2 < adopted.length) {
      for (InvertedList list : lists) {
        if (list.vectors() == adopted) {
          list.ownVectors();
        }
      }
      adopted = null;
      adoptedInUse = 0;
    }
  }

  /** Takes the entry at {@code position} out of {@code list}, updating the location of the entry moved in. */
  private void detach(int list, int position) {
    InvertedList l = lists[list];
    if (l.removeAt(position)) {
      locations[l.ord(position)] = location(list, position);
    }
  }

  static long location(int list, int position) {
    return ((long) list << 32) | (position & 0xFFFFFFFFL);
  }

  private static int listOf(long location) {
    return (int) (location >>> 32);
  }

  private static int positionOf(long location) {
    return (int) location;
  }

  // ------------------------------------------------------------------ training

  private boolean readyToTrain(int n) {
    return n > 0 && n >= (long) MIN_POINTS_PER_LIST * nlistFor(n);
  }

  /** The number of lists to train for {@code n} vectors. */
  int nlistFor(int n) {
    if (configuredNlist > 0) {
      return Math.max(1, Math.min(configuredNlist, n));
    }
    return automaticNlist(n);
  }

  /** {@code floor(4 * sqrt(n))}, between 1 and {@code n}. */
  static int automaticNlist(int n) {
    return Math.max(1, Math.min(n, Math.min(MAX_LISTS, (int) (4 * Math.sqrt(n)))));
  }

  private KMeans kmeans(int nlist, int threads) {
    return KMeans.builder(nlist)
        .maxIterations(params.getInt("maxIterations"))
        .attempts(params.getInt("attempts"))
        .seed(params.getLong("seed"))
        .threads(threads)
        .spherical(metric == Metric.COSINE)
        .build();
  }

  /** Trains if an untrained index has reached its training size and nobody else is training. */
  private void maybeTrain(int threads) {
    if (centroids != null || !readyToTrain(size()) || !trainLock.tryLock()) {
      return;
    }
    try {
      if (centroids == null && readyToTrain(size())) {
        retrain(threads);
      }
    } finally {
      trainLock.unlock();
    }
  }

  /** k-means on a copy of the contents, then the lists rebuilt under the write lock. Holds trainLock. */
  private void retrain(int threads) {
    Rows copy;
    long stamp;
    lock.lockRead();
    try {
      copy = contents(true);
      stamp = modCount;
    } finally {
      lock.unlockRead();
    }
    int n = copy.size();
    if (n == 0) {
      return;
    }
    int nlist = nlistFor(n);
    KMeans.Result trained = kmeans(nlist, threads).train(copy);
    Centroids fresh = new Centroids(trained.centroids(), nlist, dimension);
    lock.lockWrite();
    try {
      if (modCount == stamp) {
        install(fresh, copy, trained.labels());
      } else {
        Rows now = contents(false);
        install(fresh, now, assign(fresh, now, threads, null));
      }
    } finally {
      lock.unlockWrite();
    }
  }

  /**
   * Replaces the lists with ones built from {@code rows}, row {@code i} being ordinal {@code i}, by
   * {@code labels}. Holds the write lock.
   */
  private void install(Centroids fresh, Rows rows, int[] labels) {
    int n = rows.size();
    int nlist = fresh.count();
    int[] counts = new int[nlist];
    for (int label : labels) {
      counts[label]++;
    }
    InvertedList[] built = new InvertedList[nlist];
    for (int l = 0; l < nlist; l++) {
      built[l] = InvertedList.withCapacity(dimension, counts[l]);
    }
    long[] placed = new long[Math.max(16, n)];
    for (int ord = 0; ord < n; ord++) {
      int list = labels[ord];
      placed[ord] = location(list, built[list].add(ord, rows.array(ord), rows.offset(ord)));
    }
    lists = built;
    locations = placed;
    size = n;
    centroids = fresh;
    adopted = null;
    adoptedInUse = 0;
    modCount++;
  }

  /** The stored vectors by ordinal: copies, or views of the live lists. Holds the lock. */
  private Rows contents(boolean copy) {
    float[][] data = new float[lists.length][];
    int[] bases = new int[lists.length];
    for (int l = 0; l < lists.length; l++) {
      InvertedList list = lists[l];
      data[l] = copy
          ? Arrays.copyOfRange(list.vectors(), list.base(), list.base() + list.size() * dimension)
          : list.vectors();
      bases[l] = copy ? 0 : list.base();
    }
    float[][] arrays = new float[size][];
    int[] offsets = new int[size];
    for (int ord = 0; ord < size; ord++) {
      long location = locations[ord];
      arrays[ord] = data[listOf(location)];
      offsets[ord] = bases[listOf(location)] + positionOf(location) * dimension;
    }
    return Rows.scattered(arrays, offsets, dimension);
  }

  private static int[] assign(Centroids centroids, Rows rows, int threads, Progress progress) {
    try (Workers workers = Workers.of(threads)) {
      return centroids.panels().assign(rows, workers, progress == null ? null : progress::advance);
    }
  }

  private float[][] storedForms(float[][] vectors) {
    if (!metric.normalizes()) {
      return vectors;
    }
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = metric.storedForm(vectors[i]);
    }
    return out;
  }

  // ------------------------------------------------------------------ search

  /**
   * The {@code k} nearest among the vectors in the {@code nprobe} lists whose centroids are nearest to
   * the query ({@code params.nprobe()}, else this index's default; at most {@code nlist}); exact before
   * training. The filter is applied during the scan. When the probed lists hold fewer than {@code k}
   * (accepted) vectors, the next nearest lists are scanned too, until {@code k} are found or every list
   * has been scanned: {@code min(k, accepted ids stored)} results always come back.
   */
  @Override
  public List<SearchResult> search(float[] query, int k, SearchParams params) {
    Vectors.checkK(k);
    float[] q = Vectors.prepareQuery(query, dimension, metric);
    int nprobe = params.nprobe().orElse(defaultNprobe);
    LongPredicate filter = params.filter();
    SearchScratch scratch = SCRATCH.get();
    if (scratch.inUse) {
      scratch = new SearchScratch();
    }
    scratch.inUse = true;
    NeighborQueue best = scratch.results;
    best.clear();
    lock.lockRead();
    try {
      Centroids c = centroids;
      if (c == null) {
        scan(lists[0], q, k, filter, best);
      } else {
        probeAndScan(c, q, Math.min(nprobe, c.count()), k, filter, scratch);
      }
      return best.drainToResults(ids::idOf);
    } finally {
      lock.unlockRead();
      scratch.inUse = false;
    }
  }

  /** Scans the {@code probes} lists nearest to {@code q}, then further lists while fewer than {@code k} were found. */
  private void probeAndScan(Centroids c, float[] q, int probes, int k, LongPredicate filter, SearchScratch scratch) {
    int nlist = c.count();
    float[] distances = scratch.centroidDistances(nlist);
    c.rank(q, metric, distances, scratch.tiles);
    NeighborQueue nearest = scratch.probes;
    nearest.clear();
    for (int l = 0; l < nlist; l++) {
      nearest.insertWithOverflow(l, distances[l], probes);
    }
    int[] order = scratch.probeOrder(probes);
    for (int i = probes - 1; i >= 0; i--) {
      order[i] = nearest.pop();
    }
    NeighborQueue best = scratch.results;
    for (int i = 0; i < probes; i++) {
      scan(lists[order[i]], q, k, filter, best);
    }
    if (best.size() < k && probes < nlist) {
      long[] ranked = scratch.ranked(nlist);
      for (int l = 0; l < nlist; l++) {
        ranked[l] = NeighborQueue.encode(distances[l], l);
      }
      Arrays.sort(ranked, 0, nlist);
      for (int i = probes; i < nlist && best.size() < k; i++) {
        scan(lists[NeighborQueue.decodeOrdinal(ranked[i])], q, k, filter, best);
      }
    }
  }

  /**
   * Scans one list into the bounded result heap, which orders by distance, then ordinal (so ties
   * resolve as in the flat index). Rejected ids are skipped before their distance is computed.
   */
  private void scan(InvertedList list, float[] q, int k, LongPredicate filter, NeighborQueue best) {
    float[] vectors = list.vectors();
    int[] ords = list.ords();
    int n = list.size();
    float worst = best.size() >= k ? best.topDistance() : Float.POSITIVE_INFINITY;
    for (int i = 0, offset = list.base(); i < n; i++, offset += dimension) {
      int ord = ords[i];
      if (filter != null && !filter.test(ids.idOf(ord))) {
        continue;
      }
      float d = metric.distance(q, 0, vectors, offset, dimension);
      if (d <= worst) {
        best.insertWithOverflow(ord, d, k);
        if (best.size() >= k) {
          worst = best.topDistance();
        }
      }
    }
  }

  // ------------------------------------------------------------------ memory and snapshots

  @Override
  public long ramBytesUsed() {
    lock.lockRead();
    try {
      long bytes = 256 + RamUsage.sizeOfReferenceArray(lists.length) + RamUsage.sizeOf(locations) + ids.ramBytesUsed();
      // Restored lists may share one vector array: count each array once.
      Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
      for (InvertedList list : lists) {
        bytes += list.ramBytesUsedWithoutVectors();
        if (list.vectors().length > 0 && arrays.add(list.vectors())) {
          bytes += RamUsage.sizeOf(list.vectors());
        }
      }
      Centroids c = centroids;
      return c == null ? bytes : bytes + c.ramBytesUsed();
    } finally {
      lock.unlockRead();
    }
  }

  /** The state: see {@link IvfFlatState}. */
  @Override
  public IndexSnapshot snapshot() {
    return withSnapshot(IndexSnapshot::materialize);
  }

  /** Reads the vectors and ids in place; writers wait, searches go on. */
  @Override
  public <R, X extends Exception> R withSnapshot(SnapshotAction<R, X> action) throws X {
    boolean gated = lock.lockWriters();
    try {
      Centroids c = centroids;
      IndexSnapshot.Builder b = IndexSnapshot.builder(NAME, IvfFlatState.VERSION, dimension, metric, size)
          .parameters(params)
          .scalar("nlist", c == null ? 0 : c.count())
          .floats("centroids", c == null ? new float[0] : c.data().clone())
          .array("ids", ids.view(size));
      return action.apply(IvfFlatState.write(lists, dimension, size, b).build());
    } finally {
      if (gated) {
        lock.unlockWriters();
      }
    }
  }

  /** An index of restored, validated state, whose lists may read {@code adopted} in place. */
  static IvfFlatIndex restored(int dimension, Metric metric, IndexParams params, IdMap ids, InvertedList[] lists,
      long[] locations, int size, Centroids centroids, float[] adopted) {
    IvfFlatIndex index = new IvfFlatIndex(dimension, metric, params, ids);
    index.lock.lockWrite();
    try {
      index.lists = lists;
      index.locations = locations;
      index.size = size;
      index.centroids = centroids;
      for (InvertedList list : lists) {
        if (list.vectors() == adopted) {
          index.adopted = adopted;
          index.adoptedInUse += (long) list.capacity() * dimension;
        }
      }
    } finally {
      index.lock.unlockWrite();
    }
    return index;
  }

  /** The lists whose vectors live in {@code array}; for tests. */
  int listsReading(float[] array) {
    lock.lockRead();
    try {
      return (int) Arrays.stream(lists).filter(list -> list.vectors() == array).count();
    } finally {
      lock.unlockRead();
    }
  }

  /** Every list's ids, in list order; for tests. */
  long[][] listIds() {
    lock.lockRead();
    try {
      long[][] out = new long[lists.length][];
      for (int l = 0; l < lists.length; l++) {
        out[l] = new long[lists[l].size()];
        for (int i = 0; i < out[l].length; i++) {
          out[l][i] = ids.idOf(lists[l].ord(i));
        }
      }
      return out;
    } finally {
      lock.unlockRead();
    }
  }

  /** The centroids, {@code nlist * dimension} floats, or an empty array before training; a copy. */
  public float[] centroids() {
    Centroids c = centroids;
    return c == null ? new float[0] : c.data().clone();
  }

  @Override
  public String toString() {
    return "IvfFlatIndex{dim=" + dimension + ", " + metric + ", size=" + size() + ", nlist=" + nlist()
        + ", nprobe=" + defaultNprobe + "}";
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Per-thread search scratch, reused across queries and indexes. A search started from inside another
   * on the same thread (from a filter) gets fresh scratch.
   */
  private static final class SearchScratch {
    boolean inUse;
    final float[] tiles = L2Tiles.newScratch();
    final NeighborQueue results = new NeighborQueue(64, true);
    final NeighborQueue probes = new NeighborQueue(64, true);
    int[] probeOrder = new int[64];
    float[] centroidDistances = new float[0];
    long[] ranked = new long[0];

    float[] centroidDistances(int nlist) {
      if (centroidDistances.length < nlist + 3) {
        centroidDistances = new float[nlist + 3];
      }
      return centroidDistances;
    }

    long[] ranked(int nlist) {
      if (ranked.length < nlist) {
        ranked = new long[nlist];
      }
      return ranked;
    }

    int[] probeOrder(int probes) {
      if (probeOrder.length < probes) {
        probeOrder = new int[Math.max(probes, probeOrder.length * 2)];
      }
      return probeOrder;
    }
  }

  /** Reports a bulk operation's progress monotonically, at most about 200 times. */
  private static final class Progress {
    private final ProgressListener listener;
    private final long total;
    private final long step;
    private long done;
    private long reported;

    Progress(ProgressListener listener, long total) {
      this.listener = listener;
      this.total = total;
      this.step = Math.max(1, total / 200);
    }

    synchronized void advance(long units) {
      done += units;
      if (done - reported >= step && done < total) {
        reported = done;
        listener.progress(done, total);
      }
    }

    synchronized void finish() {
      listener.progress(total, total);
    }
  }

  // ------------------------------------------------------------------ builder

  /**
   * Builds an {@link IvfFlatIndex}; parameters are validated exactly as by name
   * ({@code Indexes.create("ivfflat", ...)}), so both routes give the same index. Not thread-safe.
   */
  public static final class Builder {
    private final int dimension;
    private final Metric metric;
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder(int dimension, Metric metric) {
      checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
      this.dimension = dimension;
      this.metric = Objects.requireNonNull(metric, "metric");
    }

    /** Number of lists, 1 to {@value IvfFlatIndex#MAX_LISTS}; default {@code floor(4 * sqrt(n))}. */
    public Builder nlist(int nlist) {
      values.put("nlist", nlist);
      return this;
    }

    /** Lists scanned per query unless the query sets nprobe; default {@value IvfFlatIndex#DEFAULT_NPROBE}. */
    public Builder nprobe(int nprobe) {
      values.put("nprobe", nprobe);
      return this;
    }

    /** k-means runs, the lowest inertia kept; default 1. */
    public Builder attempts(int attempts) {
      values.put("attempts", attempts);
      return this;
    }

    /** k-means iterations per run; default {@value KMeans#DEFAULT_MAX_ITERATIONS}. */
    public Builder maxIterations(int maxIterations) {
      values.put("maxIterations", maxIterations);
      return this;
    }

    /** Seed of k-means sampling and seeding; default 42. */
    public Builder seed(long seed) {
      values.put("seed", seed);
      return this;
    }

    /**
     * An empty index; it searches exactly until it trains (see {@link IvfFlatIndex}).
     *
     * @throws InvalidParameterException if a parameter is out of range
     */
    public IvfFlatIndex build() {
      return create(dimension, metric, resolve());
    }

    /** An index trained on and holding the batch, on one thread. */
    public IvfFlatIndex build(long[] ids, float[][] vectors) {
      return build(ids, vectors, AddOptions.defaults());
    }

    /** An index trained on and holding the batch, using {@code options.threads()} for k-means and assignment. */
    public IvfFlatIndex build(long[] ids, float[][] vectors, AddOptions options) {
      return IvfFlatIndex.build(dimension, metric, resolve(), ids, vectors, options);
    }

    private IndexParams resolve() {
      return IndexParams.resolve(NAME, PARAMETERS, values);
    }
  }
}
