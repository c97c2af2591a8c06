package io.vers.spi.storage;

import io.vers.api.CorruptIndexException;
import io.vers.api.Metric;
import io.vers.api.SnapshotArray;
import io.vers.spi.RamUsage;
import io.vers.spi.simd.CodeDots;
import io.vers.spi.simd.Kernels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@link ScalarQuantizer} codes of one dimension in flat {@code byte[]} pages, addressed by an int
 * ordinal: record {@code ord} is {@code dimension} code bytes from {@link #offset(int) offset(ord)} in
 * {@link #page(int) page(ord)}, followed by the float {@code |x'|^2} (little-endian) that L2 distances
 * need. A quarter of the bytes of the vectors, plus four per vector.
 *
 * <p>Writes are serialized by this object's monitor; reads are lock-free for ordinals learned through a
 * safe publication after their record was written, as in {@link VectorStore}.
 */
public final class CodeStore {
  private static final int PAGE_BYTES = 1 << 24;
  private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

  private final int dimension;
  private final int stride;
  private final int pageShift;
  private final int pageMask;
  private volatile byte[][] pages;
  private volatile int size;
  private final CodeDots dots;

  /** An empty store for codes of {@code dimension} components. */
  public CodeStore(int dimension) {
    this(dimension, new byte[][] {new byte[0]}, 0);
  }

  private CodeStore(int dimension, byte[][] pages, int size) {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    this.dimension = dimension;
    this.stride = dimension + 4;
    this.pageShift = 31 - Integer.numberOfLeadingZeros(Math.max(1, PAGE_BYTES / stride));
    this.pageMask = (1 << pageShift) - 1;
    this.pages = pages;
    this.size = size;
    this.dots = Kernels.get().codeDots(this);
  }

  /**
   * A store over the first {@code count} records of {@code data} ({@link #view} layout), copied into
   * pages.
   *
   * @throws IllegalArgumentException if {@code data} is shorter than {@code count} records
   */
  public static CodeStore fromArray(int dimension, byte[] data, int count) {
    CodeStore store = new CodeStore(dimension);
    int stride = dimension + 4;
    if (count < 0 || (long) count * stride > data.length) {
      throw new IllegalArgumentException(count + " records of " + stride + " bytes do not fit " + data.length);
    }
    store.ensureCapacity(count);
    for (int ord = 0; ord < count; ord++) {
      System.arraycopy(data, ord * stride, store.page(ord), store.offset(ord), stride);
    }
    store.size = count;
    return store;
  }

  /**
   * Checks the first {@code count} records of {@code data} ({@link #view} layout) read back from a file:
   * each stored {@code |x'|^2} must be the one {@code quantizer} gives for its codes, to rounding.
   *
   * @param what how to name a record in messages, followed by its ordinal: for example {@code "hnsw
   *     snapshot: the codes of node"}
   * @throws CorruptIndexException naming the first record whose norm differs
   */
  public static void checkNorms(ScalarQuantizer quantizer, byte[] data, int count, String what)
      throws CorruptIndexException {
    int dimension = quantizer.dimension();
    int stride = dimension + 4;
    for (int ord = 0; ord < count; ord++) {
      int at = ord * stride;
      float stored = (float) FLOAT.get(data, at + dimension);
      float expected = quantizer.squaredNorm(data, at);
      if (!(Math.abs(stored - expected) <= 1e-5f * Math.max(1f, expected))) {
        throw new CorruptIndexException(what + " " + ord + " hold the squared norm " + stored + ", not the "
            + expected + " their codes give");
      }
    }
  }

  /** {@return the number of code bytes per record} */
  public int dimension() {
    return dimension;
  }

  /** {@return the number of ordinals in use} */
  public int size() {
    return size;
  }

  /** {@return the page holding record {@code ord}} */
  public byte[] page(int ord) {
    return pages[ord >>> pageShift];
  }

  /** {@return where record {@code ord}'s codes start in its page} */
  public int offset(int ord) {
    return (ord & pageMask) * stride;
  }

  /** {@return {@code |x'|^2} of record {@code ord}} */
  public float norm(int ord) {
    return (float) FLOAT.get(page(ord), offset(ord) + dimension);
  }

  /**
   * {@code metric}'s distance between a query prepared by {@code quantizer.prepare} (at
   * {@code prepared[at ..]}) and record {@code ord}.
   */
  public float distance(Metric metric, float[] prepared, int at, int ord) {
    return ScalarQuantizer.distance(metric, prepared, at, dimension, dots.dot(prepared, at, ord), norm(ord));
  }

  /**
   * Sets {@code out[i]} to {@link #distance} of record {@code ords[from + i]}, for {@code i < count}:
   * the records are read several at a time, and each distance equals the one-record call's.
   */
  public void distances(Metric metric, float[] prepared, int at, int[] ords, int from, int count, float[] out) {
    dots.dots(prepared, at, ords, from, count, out);
    for (int i = 0; i < count; i++) {
      out[i] = ScalarQuantizer.distance(metric, prepared, at, dimension, out[i], norm(ords[from + i]));
    }
  }

  /** Writes the vector record {@code ord} stands for to {@code out[to ..]}. */
  public void decode(ScalarQuantizer quantizer, int ord, float[] out, int to) {
    quantizer.decode(page(ord), offset(ord), out, to);
  }

  /** Encodes {@code vector[from ..]} as a new record and returns its ordinal. */
  public synchronized int append(ScalarQuantizer quantizer, float[] vector, int from) {
    int ord = size;
    if (ord == Integer.MAX_VALUE) {
      throw new IllegalStateException("a code store holds at most " + Integer.MAX_VALUE + " records");
    }
    ensureCapacity(ord + 1);
    write(quantizer, ord, vector, from);
    size = ord + 1;
    return ord;
  }

  /** Re-encodes record {@code ord} (below {@link #size()}) from {@code vector[from ..]}. */
  public synchronized void set(int ord, ScalarQuantizer quantizer, float[] vector, int from) {
    if (ord < 0 || ord >= size) {
      throw new IndexOutOfBoundsException("ordinal " + ord + " outside [0, " + size + ")");
    }
    write(quantizer, ord, vector, from);
  }

  private void write(ScalarQuantizer quantizer, int ord, float[] vector, int from) {
    byte[] page = page(ord);
    int offset = offset(ord);
    float norm = quantizer.encode(vector, from, page, offset);
    FLOAT.set(page, offset + dimension, norm);
  }

  /** Forgets every ordinal at or above {@code newSize}; capacity is kept. */
  public synchronized void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("newSize " + newSize + " outside [0, " + size + "]");
    }
    size = newSize;
  }

  /** Makes room for ordinals below {@code capacity}. */
  public synchronized void ensureCapacity(int capacity) {
    byte[][] p = pages;
    int perPage = 1 << pageShift;
    if (capacity <= perPage) {
      if (p[0].length < (long) capacity * stride) {
        long grown = Math.max(capacity, (long) (p[0].length / stride) * 3 / 2 + 8);
        byte[][] copy = p.clone();
        copy[0] = Arrays.copyOf(p[0], (int) Math.min(grown, perPage) * stride);
        pages = copy;
      }
      return;
    }
    int pagesNeeded = (int) (((long) capacity + perPage - 1) >>> pageShift);
    byte[][] copy = Arrays.copyOf(p, Math.max(p.length, pagesNeeded));
    if (copy[0].length < perPage * stride) {
      copy[0] = Arrays.copyOf(copy[0], perPage * stride);
    }
    for (int i = 1; i < pagesNeeded; i++) {
      if (copy[i] == null) {
        copy[i] = new byte[perPage * stride];
      }
    }
    pages = copy;
  }

  /**
   * The first {@code count} records ({@code count * (dimension + 4)} bytes) as a snapshot view reading
   * the pages in place; valid while no record below {@code count} is written.
   */
  public SnapshotArray view(int count) {
    long bytes = (long) count * stride;
    if (count < 0 || count > size || bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(count + " records of " + stride + " bytes cannot be viewed");
    }
    byte[][] p = pages;
    int pageBytes = (1 << pageShift) * stride;
    return SnapshotArray.view(byte[].class, (int) bytes, (from, dst, length) -> {
      byte[] out = (byte[]) dst;
      for (int done = 0; done < length; ) {
        long at = (long) from + done;
        int page = (int) (at / pageBytes);
        int inPage = (int) (at % pageBytes);
        int n = Math.min(length - done, pageBytes - inPage);
        System.arraycopy(p[page], inPage, out, done, n);
        done += n;
      }
    });
  }

  /** {@return heap bytes held, including spare capacity} */
  public long ramBytesUsed() {
    long bytes = 32 + RamUsage.arrayHeader() + (long) pages.length * RamUsage.REFERENCE;
    for (byte[] page : pages) {
      if (page != null) {
        bytes += RamUsage.sizeOf(page);
      }
    }
    return bytes;
  }
}
