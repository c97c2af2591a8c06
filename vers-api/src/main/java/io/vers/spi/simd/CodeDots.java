package io.vers.spi.simd;

import io.vers.spi.storage.CodeStore;

/**
 * Float-by-byte dot products of one prepared query with many {@link CodeStore} records, computed
 * several records at a time: the codes counterpart of {@link BatchDistance}. A graph search reads
 * records scattered over the heap, so streaming up to {@value #WIDTH} of them in one loop keeps that many
 * memory streams in flight where a one-record loop waits for each in turn.
 *
 * <p>A record's sum is accumulated in the same order whatever the batch it falls in, and {@link #dot}
 * gives the same value as {@link #dots}. Get one from {@link Kernels#codeDots}. Stateless; thread-safe.
 */
public abstract class CodeDots {
  /** The most records streamed together. */
  public static final int WIDTH = 8;

  final CodeStore codes;

  CodeDots(CodeStore codes) {
    this.codes = codes;
  }

  /**
   * Sets {@code out[i]} to {@code sum(q[qOffset + d] * code_d)} over record {@code ords[from + i]}'s
   * signed codes, for {@code i < count}.
   */
  public abstract void dots(float[] q, int qOffset, int[] ords, int from, int count, float[] out);

  /** The dot product of the query with record {@code ord}, as {@link #dots} computes it. */
  public abstract float dot(float[] q, int qOffset, int ord);

  /** One record at a time, through the scalar kernel. */
  static final class Plain extends CodeDots {
    Plain(CodeStore codes) {
      super(codes);
    }

    @Override
    public void dots(float[] q, int qOffset, int[] ords, int from, int count, float[] out) {
      for (int i = 0; i < count; i++) {
        out[i] = dot(q, qOffset, ords[from + i]);
      }
    }

    @Override
    public float dot(float[] q, int qOffset, int ord) {
      return ScalarVectorKernel.INSTANCE.dotCodes(q, qOffset, codes.page(ord), codes.offset(ord), codes.dimension());
    }
  }
}
