package io.vers.spi.storage;

import static com.google.common.base.Preconditions.checkArgument;

import io.vers.api.Metric;
import io.vers.api.SnapshotArray;
import io.vers.spi.RamUsage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Vectors of one dimension in flat {@code float[]} pages, addressed by an int ordinal: vector
 * {@code ord} occupies {@code dimension} floats of {@link #page(int) page(ord)} from
 * {@link #offset(int) offset(ord)}. No object per vector; past 2^31 floats the pages keep going.
 *
 * <p>Writes ({@link #append}, {@link #set}, {@link #move}, {@link #truncate}) are serialized by this
 * object's monitor. Reads are lock-free: a reader that learned of an ordinal through a safe publication
 * after the vector was written sees the whole vector. The first page grows geometrically, so small
 * stores stay small.
 */
public final class VectorStore {
  /** Target floats per page: 4M floats, 16 MiB. */
  private static final int PAGE_FLOATS = 1 << 22;

  private final int dimension;
  private final int pageShift;
  private final int pageMask;
  private volatile float[][] pages;
  private volatile int size;

  /** An empty store. */
  public VectorStore(int dimension) {
    this(dimension, defaultPageShift(dimension), new float[][] {new float[0]}, 0);
  }

  private VectorStore(int dimension, int pageShift, float[][] pages, int size) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    this.dimension = dimension;
    this.pageShift = pageShift;
    this.pageMask = (1 << pageShift) - 1;
    this.pages = pages;
    this.size = size;
  }

  private static int defaultPageShift(int dimension) {
    int vectorsPerPage = Math.max(1, PAGE_FLOATS / dimension);
    return 31 - Integer.numberOfLeadingZeros(vectorsPerPage);
  }

  /**
   * A store holding the first {@code count} vectors of {@code data} ({@code count * dimension} floats),
   * adopting the array without a copy when it fits one page.
   */
  public static VectorStore fromArray(int dimension, float[] data, int count) {
    checkArgument(dimension >= 1, "dimension must be at least 1, got %s", dimension);
    checkArgument(count >= 0 && (long) count * dimension <= data.length,
        "%s vectors of dimension %s need %s floats, the array has %s", count, dimension, (long) count * dimension,
        data.length);
    int shift = defaultPageShift(dimension);
    while ((1L << shift) < count && ((1L << (shift + 1)) * dimension) <= Integer.MAX_VALUE - 8) {
      shift++;
    }
    if ((1L << shift) >= count) {
      return new VectorStore(dimension, shift, new float[][] {data}, count);
    }
    VectorStore store = new VectorStore(dimension);
    for (int ord = 0; ord < count; ord++) {
      store.appendRange(data, ord * (long) dimension);
    }
    return store;
  }

  public int dimension() {
    return dimension;
  }

  /** The number of ordinals in use: {@code 0 .. size() - 1}. */
  public int size() {
    return size;
  }

  /** The page holding vector {@code ord}. */
  public float[] page(int ord) {
    return pages[ord >>> pageShift];
  }

  /** Where vector {@code ord} starts within its {@link #page(int) page}. */
  public int offset(int ord) {
    return (ord & pageMask) * dimension;
  }

  /** {@code metric}'s distance between a stored-form {@code query} and vector {@code ord}. */
  public float distance(Metric metric, float[] query, int ord) {
    return metric.distance(query, 0, pages[ord >>> pageShift], (ord & pageMask) * dimension, dimension);
  }

  /** {@code metric}'s distance between vectors {@code a} and {@code b}. */
  public float distance(Metric metric, int a, int b) {
    float[][] p = pages;
    return metric.distance(
        p[a >>> pageShift], (a & pageMask) * dimension, p[b >>> pageShift], (b & pageMask) * dimension, dimension);
  }

  /** A copy of vector {@code ord}. */
  public float[] get(int ord) {
    float[] out = new float[dimension];
    copyTo(ord, out, 0);
    return out;
  }

  /** Copies vector {@code ord} into {@code dst} at {@code dstOffset}. */
  public void copyTo(int ord, float[] dst, int dstOffset) {
    System.arraycopy(page(ord), offset(ord), dst, dstOffset, dimension);
  }

  /** Appends a copy of {@code vector} (of length {@code dimension}) and returns its ordinal. */
  public synchronized int append(float[] vector) {
    checkArgument(vector.length == dimension, "vector length %s != dimension %s", vector.length, dimension);
    return appendRange(vector, 0);
  }

  /**
   * Appends a copy of {@code source[from .. from + dimension)} and returns its ordinal.
   *
   * @throws IndexOutOfBoundsException if {@code source} holds fewer than {@code dimension} floats from
   *     {@code from}
   */
  public int append(float[] source, int from) {
    Objects.checkFromIndexSize(from, dimension, source.length);
    return appendRange(source, from);
  }

  private synchronized int appendRange(float[] source, long from) {
    int ord = size;
    if (ord == Integer.MAX_VALUE) {
      throw new IllegalStateException("a vector store holds at most " + Integer.MAX_VALUE + " vectors");
    }
    ensureCapacity(ord + 1);
    System.arraycopy(source, Math.toIntExact(from), page(ord), offset(ord), dimension);
    size = ord + 1;
    return ord;
  }

  /** Overwrites vector {@code ord} (which must be below {@link #size()}). */
  public synchronized void set(int ord, float[] vector) {
    checkArgument(vector.length == dimension, "vector length %s != dimension %s", vector.length, dimension);
    checkOrdinal(ord);
    System.arraycopy(vector, 0, page(ord), offset(ord), dimension);
  }

  /** Copies vector {@code from} over vector {@code to}; both below {@link #size()}. */
  public synchronized void move(int from, int to) {
    checkOrdinal(from);
    checkOrdinal(to);
    System.arraycopy(page(from), offset(from), page(to), offset(to), dimension);
  }

  /** Forgets every ordinal at or above {@code newSize}; capacity is kept for reuse. */
  public synchronized void truncate(int newSize) {
    checkArgument(newSize >= 0 && newSize <= size, "newSize %s outside [0, %s]", newSize, size);
    size = newSize;
  }

  /** Makes room for ordinals below {@code capacity} without changing {@link #size()}. */
  public synchronized void ensureCapacity(int capacity) {
    float[][] p = pages;
    int perPage = 1 << pageShift;
    if (capacity <= perPage) {
      if (p[0].length < capacity * dimension) {
        long grown = Math.max((long) capacity, (long) (p[0].length / dimension) * 3 / 2 + 8);
        float[][] copy = p.clone();
        copy[0] = Arrays.copyOf(p[0], (int) Math.min(grown, perPage) * dimension);
        pages = copy;
      }
      return;
    }
    int pagesNeeded = (int) (((long) capacity + perPage - 1) >>> pageShift);
    float[][] copy = Arrays.copyOf(p, Math.max(p.length, pagesNeeded));
    if (copy[0].length < perPage * dimension) {
      copy[0] = Arrays.copyOf(copy[0], perPage * dimension);
    }
    for (int i = 1; i < pagesNeeded; i++) {
      if (copy[i] == null) {
        copy[i] = new float[perPage * dimension];
      }
    }
    pages = copy;
  }

  /**
   * The first {@code count} vectors ({@code count * dimension} floats) as a snapshot view that reads
   * this store's pages in place. Valid while no vector below {@code count} is written.
   */
  public SnapshotArray view(int count) {
    long floats = (long) count * dimension;
    checkArgument(count >= 0 && count <= size, "count %s outside [0, %s]", count, size);
    checkArgument(floats <= Integer.MAX_VALUE - 8, "%s floats do not fit one array", floats);
    float[][] p = pages;
    int pageFloats = (1 << pageShift) * dimension;
    return SnapshotArray.view(float[].class, (int) floats, (from, dst, length) -> {
      float[] out = (float[]) dst;
      for (int done = 0; done < length; ) {
        long at = (long) from + done;
        int page = (int) (at / pageFloats);
        int inPage = (int) (at % pageFloats);
        int n = Math.min(length - done, pageFloats - inPage);
        System.arraycopy(p[page], inPage, out, done, n);
        done += n;
      }
    });
  }

  /** Heap bytes held, including spare capacity. */
  public long ramBytesUsed() {
    long bytes = 32 + RamUsage.arrayHeader() + (long) pages.length * RamUsage.REFERENCE;
    for (float[] page : pages) {
      if (page != null) {
        bytes += RamUsage.sizeOf(page);
      }
    }
    return bytes;
  }

  private void checkOrdinal(int ord) {
    if (ord < 0 || ord >= size) {
      throw new IndexOutOfBoundsException("ordinal " + ord + " outside [0, " + size + ")");
    }
  }
}
