package io.vers.ivfflat;

import io.vers.spi.IdMap;
import io.vers.spi.RamUsage;
import io.vers.spi.storage.ScalarQuantizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The contents of an {@link IvfFlatIndex}: ids, centroids, inverted lists and where each vector sits.
 *
 * <p>Each vector has a dense int ordinal ({@link IdMap}: a removal moves the last ordinal into the
 * freed one). Each list keeps its vectors one after the other in one {@code float[]} with a parallel
 * {@code int[]} of ordinals ({@link InvertedList}); a {@code long[]} by ordinal records each vector's
 * list and position, for removal (the list's last entry moves into the gap) and replacement.
 *
 * <p>Restored lists may read regions of one shared vector array in place (see {@link IvfFlatState});
 * once less than half of that array is read that way, the remaining lists move out, so that it can be
 * collected.
 *
 * <p>Quantized ({@code sq8}, see {@link Quantization}): once {@link #quantize} ran, every list also
 * holds the codes of one {@link ScalarQuantizer}, and holds floats only when they are kept.
 *
 * <p>Not thread-safe: the index guards every call with its lock (reads under the read lock, changes
 * under the write lock).
 */
final class ListStore {
  private final int dimension;
  /** Caller ids to dense ordinals 0 .. size - 1. */
  private final IdMap ids;
  /** One list holding everything until trained, then one per centroid. */
  private InvertedList[] lists;
  /** By ordinal: {@code list << 32 | position}. */
  private long[] locations;
  private int size;
  /** The vector array restored lists read in place, or null, and how many of its floats they occupy. */
  private float[] adopted;
  private long adoptedInUse;
  /** Null until trained; set with the lists it partitions. Volatile for reads without the lock. */
  private volatile Centroids centroids;
  /** The quantizer every list's codes follow, or null while the lists hold floats only. */
  private ScalarQuantizer quantizer;
  /** Whether the lists hold the float vectors: always before quantizing, and after it with keepVectors. */
  private boolean floats = true;
  /** The quantizer's rounding error bound, {@link Quantization#codeError}. */
  private float codeError;
  /** Vectors added far outside the quantizer's ranges since it was learned. */
  private int farOutside;
  /** Times the ranges were learned again since this store was created or restored. */
  private int retrains;

  /** Empty contents: one empty list. */
  ListStore(int dimension, IdMap ids) {
    this.dimension = dimension;
    this.ids = ids;
    this.lists = new InvertedList[] {new InvertedList(dimension)};
    this.locations = new long[16];
  }

  /** Restored contents, whose lists may read {@code adopted} in place. */
  ListStore(int dimension, IdMap ids, InvertedList[] lists, long[] locations, int size, Centroids centroids,
      float[] adopted, ScalarQuantizer quantizer, boolean floats, int farOutside) {
    this.dimension = dimension;
    this.quantizer = quantizer;
    this.floats = floats;
    this.farOutside = farOutside;
    this.codeError = quantizer == null ? 0 : Quantization.codeError(quantizer);
    this.centroids = centroids;
    this.ids = ids;
    this.lists = lists;
    this.locations = locations;
    this.size = size;
    for (InvertedList list : lists) {
      if (list.vectors() == adopted) {
        this.adopted = adopted;
        this.adoptedInUse += (long) list.capacity() * dimension;
      }
    }
  }

  int dimension() {
    return dimension;
  }

  int size() {
    return size;
  }

  /**
   * The centroids of the lists, or null before training. May be read without the lock (for a guess
   * to check under it); under the lock it matches the lists.
   */
  Centroids centroids() {
    return centroids;
  }

  IdMap ids() {
    return ids;
  }

  /** The quantizer of the lists' codes, or null while they hold floats only. */
  ScalarQuantizer quantizer() {
    return quantizer;
  }

  /** Whether the lists hold the float vectors. */
  boolean hasFloats() {
    return floats;
  }

  /** The largest distance between a vector within the ranges and its decoded form. */
  float codeError() {
    return codeError;
  }

  /** Vectors added far outside the quantizer's ranges since they were learned. */
  int farOutside() {
    return farOutside;
  }

  /** Times the ranges were learned again. */
  int retrains() {
    return retrains;
  }

  void addFarOutside(int count) {
    farOutside += count;
  }

  /**
   * Encodes every vector with {@code next} (from its floats, or from its codes decoded when the floats
   * are gone), drops the floats unless {@code keepFloats}, and restarts the far-outside count.
   */
  void quantize(ScalarQuantizer next, boolean keepFloats) {
    float[] scratch = new float[dimension];
    boolean again = quantizer != null;
    for (InvertedList list : lists) {
      list.quantize(next, keepFloats, scratch);
    }
    quantizer = next;
    codeError = Quantization.codeError(next);
    floats = keepFloats;
    farOutside = 0;
    if (again) {
      retrains++;
    }
    if (!keepFloats) {
      adopted = null;
      adoptedInUse = 0;
    }
  }

  /**
   * Up to {@code m} stored vectors (floats, or decoded codes), row-major: every vector when there are
   * no more than {@code m}, else evenly spaced ordinals.
   */
  float[] sample(int m) {
    int count = Math.min(m, size);
    float[] out = new float[count * dimension];
    for (int i = 0; i < count; i++) {
      long location = locations[(int) ((long) i * size / count)];
      lists[listOf(location)].vector(positionOf(location), out, i * dimension);
    }
    return out;
  }

  /** Where ordinal {@code ord} sits: {@code list << 32 | position}. */
  long location(int ord) {
    return locations[ord];
  }

  /** The lists; valid until the next change. */
  InvertedList[] lists() {
    return lists;
  }

  long idOf(int ord) {
    return ids.idOf(ord);
  }

  /** A copy of the vector stored under {@code id}, or null. */
  float[] vector(long id) {
    int ord = ids.get(id);
    if (ord < 0) {
      return null;
    }
    long location = locations[ord];
    float[] out = new float[dimension];
    lists[listOf(location)].vector(positionOf(location), out, 0);
    return out;
  }

  /**
   * Stores one vector in list {@code list}: a new id takes the next ordinal; an existing id keeps its
   * ordinal and has its vector replaced in place, or moved when it now belongs to another list.
   */
  void put(long id, float[] source, int offset, int list) {
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

  /** Removes {@code id}; returns whether it was present. */
  boolean remove(long id) {
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
    return true;
  }

  /**
   * Replaces the lists with one per centroid of {@code fresh}, built from {@code rows}, row {@code i}
   * being ordinal {@code i}, in list {@code labels[i]}.
   */
  void rebuild(Centroids fresh, Rows rows, int[] labels) {
    int nlist = fresh.count();
    int n = rows.size();
    int[] counts = new int[nlist];
    for (int label : labels) {
      counts[label]++;
    }
    InvertedList[] built = new InvertedList[nlist];
    for (int l = 0; l < nlist; l++) {
      built[l] = InvertedList.withCapacityLike(lists[0], counts[l]);
    }
    long[] placed = new long[Math.max(16, n)];
    for (int ord = 0; ord < n; ord++) {
      int list = labels[ord];
      placed[ord] = location(list, built[list].add(ord, rows.array(ord), rows.offset(ord)));
    }
    lists = built;
    locations = placed;
    size = n;
    adopted = null;
    adoptedInUse = 0;
    centroids = fresh;
  }

  /** The stored vectors by ordinal: copies, or views of the live lists. */
  Rows contents(boolean copy) {
    if (!floats) {
      return Rows.packed(sample(size), size, dimension);
    }
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

  /** Heap bytes of the contents; restored lists sharing one array count it once. */
  long ramBytesUsed() {
    long bytes = RamUsage.align(RamUsage.OBJECT_HEADER + 6 * RamUsage.REFERENCE + 4 * Integer.BYTES + Long.BYTES + 1)
        + RamUsage.sizeOfReferenceArray(lists.length) + RamUsage.sizeOf(locations) + ids.ramBytesUsed();
    Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
    for (InvertedList list : lists) {
      bytes += list.ramBytesUsedWithoutVectors();
      if (list.vectors().length > 0 && arrays.add(list.vectors())) {
        bytes += RamUsage.sizeOf(list.vectors());
      }
    }
    Centroids c = centroids;
    bytes += quantizer == null ? 0 : quantizer.ramBytesUsed();
    return c == null ? bytes : bytes + c.ramBytesUsed();
  }

  /** The number of lists whose vectors live in {@code array}. */
  int listsReading(float[] array) {
    return (int) Arrays.stream(lists).filter(list -> list.vectors() == array).count();
  }

  /** Every list's ids, in list order. */
  long[][] listIds() {
    long[][] out = new long[lists.length][];
    for (int l = 0; l < lists.length; l++) {
      out[l] = new long[lists[l].size()];
      for (int i = 0; i < out[l].length; i++) {
        out[l][i] = ids.idOf(lists[l].ord(i));
      }
    }
    return out;
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

  static int listOf(long location) {
    return (int) (location >>> 32);
  }

  static int positionOf(long location) {
    return (int) location;
  }
}
