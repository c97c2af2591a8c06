package io.vers.ivfflat;

import io.vers.api.CorruptIndexException;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.SnapshotArray;
import io.vers.spi.IdMap;
import io.vers.spi.Vectors;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.Arrays;

/**
 * The {@link IndexSnapshot} layout of an {@link IvfFlatIndex} and its validating reader.
 *
 * <p>State version 3 (written): as version 2, plus float arrays {@code lows} and {@code highs} (the
 * sq8 quantizer's ranges, {@code dimension} each; empty while the index holds no codes), byte array
 * {@code codes} ({@code size * dimension} bytes in the order of {@code vectors}, empty without a
 * quantizer) and scalar {@code farOutside} (vectors added far outside the ranges since they were
 * learned). {@code vectors} is absent when sq8 dropped the floats ({@code keepVectors=false}). Each
 * vector's {@code |x'|^2} is computed again from its codes on restore.
 *
 * <p>State version 2 (still read, as {@code quantization=none}): scalar {@code nlist} (0 before training); float arrays
 * {@code centroids} ({@code nlist * dimension}) and {@code vectors} ({@code size * dimension}, list by
 * list, each list's entries in order); int arrays {@code listSizes} (entries per list; one list before
 * training) and {@code ords} (the ordinal of each entry of {@code vectors}); long array {@code ids}, by
 * ordinal. {@link #restore} adopts the vector array: each list reads its region in place until it grows,
 * and once less than half of the array is read that way the index copies the rest out.
 *
 * <p>State version 1 (still read): {@code vectors} by ordinal and int array {@code lists}, the list of
 * each ordinal; restoring it copies the vectors into per-list arrays.
 */
final class IvfFlatState {
  static final int VERSION = 3;

  private IvfFlatState() {}

  /**
   * Adds the state of version 2 to {@code b}, reading the vectors from the lists in place: valid while
   * the lists do not change.
   */
  static IndexSnapshot.Builder write(ListStore store, IndexSnapshot.Builder b) {
    InvertedList[] lists = store.lists();
    int dimension = store.dimension();
    int size = store.size();
    if ((long) size * dimension > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(size + " vectors of dimension " + dimension + " do not fit one snapshot array");
    }
    int[] sizes = new int[lists.length];
    int[] starts = new int[lists.length + 1];
    int[] ords = new int[size];
    for (int l = 0; l < lists.length; l++) {
      sizes[l] = lists[l].size();
      System.arraycopy(lists[l].ords(), 0, ords, starts[l] / dimension, sizes[l]);
      starts[l + 1] = starts[l] + sizes[l] * dimension;
    }
    ScalarQuantizer quantizer = store.quantizer();
    if (store.hasFloats()) {
      b.array("vectors", regions(float[].class, lists, starts, true));
    }
    return b.ints("listSizes", sizes).ints("ords", ords)
        .floats("lows", quantizer == null ? new float[0] : quantizer.lows())
        .floats("highs", quantizer == null ? new float[0] : quantizer.highs())
        .array("codes", quantizer == null ? SnapshotArray.view(byte[].class, 0, (from, dst, count) -> { })
            : regions(byte[].class, lists, starts, false))
        .scalar("farOutside", store.farOutside());
  }

  /** The lists' vectors (or codes), list after list, read in place; list {@code l} starts at {@code starts[l]}. */
  private static SnapshotArray regions(Class<?> type, InvertedList[] lists, int[] starts, boolean floats) {
    return SnapshotArray.view(type, starts[lists.length], (from, dst, count) -> {
      int list = Arrays.binarySearch(starts, 0, lists.length, from);
      list = list >= 0 ? list : -list - 2;
      while (starts[list + 1] == starts[list] && list < lists.length - 1) {
        list++;
      }
      for (int done = 0; done < count; list++) {
        int skip = from + done - starts[list];
        int n = Math.min(count - done, starts[list + 1] - starts[list] - skip);
        if (floats) {
          System.arraycopy(lists[list].vectors(), lists[list].base() + skip, dst, done, n);
        } else {
          System.arraycopy(lists[list].codes(), skip, dst, done, n);
        }
        done += n;
      }
    });
  }

  /** Validates {@code snapshot} completely and builds the index it describes. */
  static IvfFlatIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    snapshot.checkAlgorithm(IvfFlatIndex.NAME, VERSION);
    int dimension = snapshot.dimension();
    int n = snapshot.size();
    Metric metric = snapshot.metric();
    IndexParams params = snapshot.resolveParameters(IvfFlatIndex.PARAMETERS);
    long nlistScalar = snapshot.scalar("nlist");
    if (nlistScalar < 0 || nlistScalar > IvfFlatIndex.MAX_LISTS) {
      throw corrupt("has nlist " + nlistScalar + ", outside [0, " + IvfFlatIndex.MAX_LISTS + "]");
    }
    int nlist = (int) nlistScalar;
    int listCount = Math.max(1, nlist);
    float[] centroidData = snapshot.floats("centroids");
    long[] idArray = snapshot.longs("ids");
    ScalarQuantizer quantizer = snapshot.stateVersion() >= 3 ? quantizer(snapshot, params, dimension) : null;
    boolean floats = quantizer == null || params.getBoolean(ScalarQuantizer.KEEP_VECTORS.name());
    float[] vectors = floats ? snapshot.floats("vectors") : null;
    byte[] codes = quantizer == null ? null : snapshot.bytes("codes");
    long farOutside = snapshot.stateVersion() >= 3 ? snapshot.scalar("farOutside") : 0;
    if (farOutside < 0 || farOutside > Integer.MAX_VALUE) {
      throw corrupt("has farOutside " + farOutside);
    }
    if (centroidData.length != (long) nlist * dimension) {
      throw corrupt("has " + centroidData.length + " centroid floats for " + nlist + " lists of dimension "
          + dimension + "; expected " + (long) nlist * dimension);
    }
    if (idArray.length != n || (vectors != null && vectors.length != (long) n * dimension)) {
      throw corrupt("of " + n + " vectors of dimension " + dimension + " has " + idArray.length + " ids and "
          + (vectors == null ? 0 : vectors.length) + " floats");
    }
    if (codes != null && codes.length != (long) n * dimension) {
      throw corrupt("of " + n + " vectors of dimension " + dimension + " has " + codes.length + " code bytes");
    }
    Vectors.checkStored(centroidData, dimension, metric, "ivfflat snapshot: centroid");
    if (vectors != null) {
      Vectors.checkStored(vectors, dimension, metric, "ivfflat snapshot: vector");
    }
    IdMap ids = new IdMap(n);
    for (int ord = 0; ord < n; ord++) {
      if (ids.put(idArray[ord], ord) >= 0) {
        throw corrupt("stores id " + idArray[ord] + " twice");
      }
    }
    InvertedList[] lists = snapshot.stateVersion() == 1
        ? regroup(snapshot.ints("lists"), vectors, listCount, dimension, n)
        : adopt(snapshot.ints("listSizes"), snapshot.ints("ords"), vectors, listCount, dimension, n);
    if (quantizer != null) {
      lists = withCodes(lists, vectors, floats, quantizer, codes, dimension);
    }
    long[] locations = new long[Math.max(16, n)];
    for (int l = 0; l < listCount; l++) {
      for (int position = 0; position < lists[l].size(); position++) {
        locations[lists[l].ord(position)] = ListStore.location(l, position);
      }
    }
    ListStore store = new ListStore(dimension, ids, lists, locations, n,
        nlist == 0 ? null : new Centroids(centroidData, nlist, dimension), vectors, quantizer, floats, (int) farOutside);
    return IvfFlatIndex.restored(dimension, metric, params, store);
  }

  /**
   * The quantizer of a version 3 snapshot, or null when it holds no codes: ranges only with sq8, one per
   * dimension, finite, ordered, and within what a vector of finite distances can hold.
   */
  private static ScalarQuantizer quantizer(IndexSnapshot snapshot, IndexParams params, int dimension)
      throws CorruptIndexException {
    float[] lows = snapshot.floats("lows");
    float[] highs = snapshot.floats("highs");
    if (lows.length == 0 && highs.length == 0) {
      return null;
    }
    if (!"sq8".equals(params.getString(ScalarQuantizer.QUANTIZATION.name()))) {
      throw corrupt("has quantizer ranges but quantization " + params.getString(ScalarQuantizer.QUANTIZATION.name()));
    }
    if (lows.length != dimension || highs.length != dimension) {
      throw corrupt("has " + lows.length + " range lows and " + highs.length + " highs for dimension " + dimension);
    }
    double largest = Math.sqrt(Vectors.MAX_SQUARED_NORM);
    for (int d = 0; d < dimension; d++) {
      if (!(Math.abs(lows[d]) <= largest && Math.abs(highs[d]) <= largest)) {
        throw corrupt("has quantizer range " + d + " [" + lows[d] + ", " + highs[d] + "], beyond any stored vector");
      }
    }
    try {
      return ScalarQuantizer.of(lows, highs);
    } catch (CorruptIndexException e) {
      throw corrupt("has " + e.getMessage());
    }
  }

  /**
   * The lists with their codes: each list's region of {@code codes} copied into its own array, each
   * {@code |x'|^2} computed again as the quantizer's encoding computes it; floats as adopted when kept.
   */
  private static InvertedList[] withCodes(InvertedList[] lists, float[] vectors, boolean floats,
      ScalarQuantizer quantizer, byte[] codes, int dimension) {
    InvertedList[] out = new InvertedList[lists.length];
    float[] decoded = new float[dimension];
    int start = 0;
    for (int l = 0; l < lists.length; l++) {
      InvertedList list = lists[l];
      int size = list.size();
      byte[] own = Arrays.copyOfRange(codes, start * dimension, (start + size) * dimension);
      float[] norms = new float[size];
      for (int i = 0; i < size; i++) {
        quantizer.decode(own, i * dimension, decoded, 0);
        double norm = 0;
        for (float x : decoded) {
          norm += (double) x * x;
        }
        norms[i] = (float) norm;
      }
      int[] ords = Arrays.copyOf(list.ords(), size);
      out[l] = size == 0 || !floats
          ? InvertedList.quantized(dimension, new float[0], 0, ords, size, floats, quantizer, own, norms)
          : InvertedList.quantized(dimension, vectors, start * dimension, ords, size, true, quantizer, own, norms);
      start += size;
    }
    return out;
  }

  /** Version 2 and later: each list reads its region of {@code vectors} in place (when kept). */
  private static InvertedList[] adopt(int[] sizes, int[] ords, float[] vectors, int listCount, int dimension, int n)
      throws CorruptIndexException {
    if (sizes.length != listCount || ords.length != n) {
      throw corrupt("has " + sizes.length + " list sizes and " + ords.length + " ordinals for " + listCount
          + " lists and " + n + " vectors");
    }
    boolean[] seen = new boolean[n];
    for (int ord : ords) {
      if (ord < 0 || ord >= n || seen[ord]) {
        throw corrupt("lists ordinal " + ord + (ord < 0 || ord >= n ? ", outside [0, " + n + ")" : " twice"));
      }
      seen[ord] = true;
    }
    InvertedList[] lists = new InvertedList[listCount];
    int start = 0;
    for (int l = 0; l < listCount; l++) {
      int size = sizes[l];
      if (size < 0 || size > n - start) {
        throw corrupt("gives list " + l + " " + size + " entries where " + (n - start) + " remain");
      }
      lists[l] = size == 0
          ? new InvertedList(dimension)
          : new InvertedList(dimension, vectors == null ? new float[0] : vectors, start * dimension,
              Arrays.copyOfRange(ords, start, start + size), size);
      start += size;
    }
    if (start != n) {
      throw corrupt("has lists of " + start + " entries in all, not " + n);
    }
    return lists;
  }

  /** Version 1: vectors by ordinal, copied into one array per list. */
  private static InvertedList[] regroup(int[] listOfOrd, float[] vectors, int listCount, int dimension, int n)
      throws CorruptIndexException {
    if (listOfOrd.length != n) {
      throw corrupt("has " + listOfOrd.length + " list numbers for " + n + " vectors");
    }
    int[] counts = new int[listCount];
    for (int ord = 0; ord < n; ord++) {
      int list = listOfOrd[ord];
      if (list < 0 || list >= listCount) {
        throw corrupt("puts vector " + ord + " in list " + list + " of " + listCount);
      }
      counts[list]++;
    }
    InvertedList[] lists = new InvertedList[listCount];
    for (int l = 0; l < listCount; l++) {
      lists[l] = InvertedList.withCapacity(dimension, counts[l]);
    }
    for (int ord = 0; ord < n; ord++) {
      lists[listOfOrd[ord]].add(ord, vectors, ord * dimension);
    }
    return lists;
  }

  /** Every float finite, and every vector of unit length under COSINE. */
  private static CorruptIndexException corrupt(String problem) {
    return new CorruptIndexException("ivfflat snapshot " + problem);
  }
}
