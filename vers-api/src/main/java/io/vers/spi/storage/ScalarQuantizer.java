package io.vers.spi.storage;

import io.vers.api.CorruptIndexException;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * 8-bit scalar quantization with one range per dimension ({@code sq8}). Component {@code d} of a vector
 * becomes the signed byte {@code b = round((x - lo_d) / step_d) - 128}, clipped to {@code [-128, 127]},
 * and is read back as {@code x' = offset_d + step_d * b} with {@code offset_d = lo_d + 128 * step_d} and
 * {@code step_d = (hi_d - lo_d) / 255}. The range {@code [lo_d, hi_d]} is learned from the data:
 * the {@value #LOW_QUANTILE} and {@code 1 - }{@value #LOW_QUANTILE} quantiles of the dimension's values
 * in a sample, so that a few outliers do not spread the 256 levels over values almost no vector has;
 * values outside the range are clipped.
 *
 * <p>Distances are asymmetric: the query stays in floats and is {@linkplain #prepare prepared} once, as
 * {@code q'_d = q_d * step_d} and {@code c = sum(q_d * offset_d)}, so that
 * {@code q . x' = c + sum(q'_d * b_d)}, one float-by-byte dot product
 * ({@link io.vers.spi.simd.VectorKernel#dotCodes}). From it: {@code DOT} is {@code -(q . x')},
 * {@code COSINE} (unit query) {@code max(0, 1 - q . x' / |x'|)}, and {@code L2}
 * {@code max(0, |q|^2 - 2 q . x' + |x'|^2)} with {@code |x'|^2} kept per vector. These are the
 * metric's distances to the decoded vector {@code x'}, an approximation of the distance to {@code x}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScalarQuantizer {
  /** The share of each dimension's values left below the range (and above it). */
  public static final double LOW_QUANTILE = 0.0005;
  /** The most vectors a range is learned from. */
  public static final int MAX_SAMPLE = 20_000;
  /**
   * A vector is far outside the ranges when a component lies beyond its range by more than this share
   * of the range's width; see {@link #farOutside}.
   */
  public static final float FAR_OUTSIDE = 0.25f;

  /** Build parameter {@code quantization}: {@code none} (float32 vectors) or {@code sq8}. */
  public static final ParameterSpec QUANTIZATION = ParameterSpec.ofChoice("quantization", "none",
      List.of("none", "sq8"), "vector encoding: none (32-bit floats) or sq8 (8 bits per component, 4x less memory)");
  /** Build parameter {@code keepVectors}: with sq8, keep the float vectors too, to re-rank exactly. */
  public static final ParameterSpec KEEP_VECTORS = ParameterSpec.ofBoolean("keepVectors", true,
      "with sq8: also keep the float vectors and re-rank the best oversample x k candidates exactly");
  /** Search knob {@code oversample}: with sq8 and kept vectors, candidates re-ranked per result. */
  public static final ParameterSpec OVERSAMPLE = ParameterSpec.ofDouble("oversample", 3.0, 1.0, 100.0,
      "with sq8 and keepVectors: candidates re-ranked exactly per result wanted (ceil(oversample x k))");
  /** An index learns its ranges when it first holds this many vectors; before that it keeps floats only. */
  public static final int TRAIN_AT = 1024;
  /** Retraining needs at least this many far-outside vectors since the last training. */
  public static final int RETRAIN_MIN = 64;
  /** ... and more far-outside vectors than this share of the index's size. */
  public static final double RETRAIN_SHARE = 0.01;

  private final float[] offset;
  private final float[] step;
  private final float[] lo;
  private final float[] hi;

  private ScalarQuantizer(float[] lo, float[] hi) {
    int d = lo.length;
    this.lo = lo;
    this.hi = hi;
    this.offset = new float[d];
    this.step = new float[d];
    for (int i = 0; i < d; i++) {
      step[i] = (hi[i] - lo[i]) / 255f;
      offset[i] = lo[i] + 128 * step[i];
    }
  }

  /**
   * Learns the ranges from {@code count} vectors of {@code dimension} floats stored one after another
   * in {@code data} (a sample of at most {@value #MAX_SAMPLE} of them, drawn with {@code seed}).
   *
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public static ScalarQuantizer train(float[] data, int count, int dimension, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("a quantizer needs at least one vector to learn from");
    }
    int[] rows = sample(count, seed);
    int n = rows.length;
    float[] column = new float[n];
    float[] lo = new float[dimension];
    float[] hi = new float[dimension];
    int low = (int) Math.floor(LOW_QUANTILE * (n - 1));
    int high = (int) Math.ceil((1 - LOW_QUANTILE) * (n - 1));
    for (int d = 0; d < dimension; d++) {
      for (int r = 0; r < n; r++) {
        column[r] = data[rows[r] * dimension + d];
      }
      Arrays.sort(column);
      lo[d] = column[low];
      hi[d] = column[high];
    }
    return new ScalarQuantizer(lo, hi);
  }

  private static int[] sample(int count, long seed) {
    if (count <= MAX_SAMPLE) {
      int[] all = new int[count];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] rows = new int[MAX_SAMPLE];
    Random random = new Random(seed);
    for (int i = 0; i < MAX_SAMPLE; i++) {
      rows[i] = (int) ((long) i * count / MAX_SAMPLE) + random.nextInt(Math.max(1, count / MAX_SAMPLE));
    }
    return rows;
  }

  /**
   * A quantizer with the given ranges, as {@link #lows()} and {@link #highs()} returned them.
   *
   * @throws CorruptIndexException if the arrays differ in length or a range is not finite and ordered
   */
  public static ScalarQuantizer of(float[] lows, float[] highs) throws CorruptIndexException {
    if (lows.length != highs.length || lows.length == 0) {
      throw new CorruptIndexException("quantizer ranges have " + lows.length + " lows and " + highs.length
          + " highs");
    }
    for (int d = 0; d < lows.length; d++) {
      if (!Float.isFinite(lows[d]) || !Float.isFinite(highs[d]) || !(lows[d] <= highs[d])
          || !Float.isFinite(highs[d] - lows[d])) {
        throw new CorruptIndexException("quantizer range " + d + " is [" + lows[d] + ", " + highs[d] + "]");
      }
    }
    return new ScalarQuantizer(lows.clone(), highs.clone());
  }

  /** {@return the number of components} */
  public int dimension() {
    return lo.length;
  }

  /** {@return a copy of the range lows, for snapshots} */
  public float[] lows() {
    return lo.clone();
  }

  /** {@return a copy of the range highs, for snapshots} */
  public float[] highs() {
    return hi.clone();
  }

  /** {@return the floats a {@linkplain #prepare prepared} query takes: the dimension plus two} */
  public int preparedLength() {
    return lo.length + 2;
  }

  /**
   * Writes the codes of {@code vector[from .. from + dimension)} to {@code codes[to ..]} and returns
   * {@code |x'|^2}, the squared norm of the vector the codes stand for.
   */
  public float encode(float[] vector, int from, byte[] codes, int to) {
    for (int d = 0; d < lo.length; d++) {
      codes[to + d] = (byte) code(vector[from + d], d);
    }
    return squaredNorm(codes, to);
  }

  /**
   * {@return {@code |x'|^2} of the vector {@code codes[from ..]} stand for} As {@link #encode} returns it,
   * so a stored value read back from a file can be checked against it ({@link CodeStore#checkNorms}).
   */
  public float squaredNorm(byte[] codes, int from) {
    double norm = 0;
    for (int d = 0; d < lo.length; d++) {
      float x = offset[d] + step[d] * codes[from + d];
      norm += (double) x * x;
    }
    return (float) norm;
  }

  private int code(float x, int d) {
    float s = step[d];
    if (s == 0f) {
      return -128;
    }
    long q = Math.round((x - lo[d]) / s) - 128;
    return (int) Math.max(-128, Math.min(127, q));
  }

  /** Writes the vector {@code codes[from ..]} stands for to {@code out[to ..]}. */
  public void decode(byte[] codes, int from, float[] out, int to) {
    for (int d = 0; d < lo.length; d++) {
      out[to + d] = offset[d] + step[d] * codes[from + d];
    }
  }

  /**
   * Prepares a query (stored form) for {@link #distance}: {@code out[to + d] = q_d * step_d}, then
   * {@code c = sum(q_d * offset_d)} and {@code |q|^2}.
   */
  public void prepare(float[] query, int from, float[] out, int to) {
    int dimension = lo.length;
    double c = 0;
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      float q = query[from + d];
      out[to + d] = q * step[d];
      c += (double) q * offset[d];
      norm += (double) q * q;
    }
    out[to + dimension] = (float) c;
    out[to + dimension + 1] = (float) norm;
  }

  /**
   * {@code metric}'s distance between a prepared query and a stored vector, given the float-by-byte dot
   * product {@code dot = sum(q'_d * b_d)} and the vector's {@code |x'|^2}.
   */
  public static float distance(Metric metric, float[] prepared, int at, int dimension, float dot, float norm) {
    float product = prepared[at + dimension] + dot;
    switch (metric) {
      case L2:
        return Math.max(0f, prepared[at + dimension + 1] - 2 * product + norm);
      case COSINE:
        return norm > 0f ? Math.max(0f, 1f - product / (float) Math.sqrt(norm)) : 1f;
      default:
        return -product;
    }
  }

  /**
   * Whether a component of {@code vector[from ..]} lies outside its range by more than
   * {@value #FAR_OUTSIDE} of the range's width: clipping loses more than a rounding step there, and
   * when many vectors do, the ranges no longer describe the data.
   */
  public boolean farOutside(float[] vector, int from) {
    for (int d = 0; d < lo.length; d++) {
      float margin = FAR_OUTSIDE * (hi[d] - lo[d]);
      float x = vector[from + d];
      if (x < lo[d] - margin || x > hi[d] + margin) {
        return true;
      }
    }
    return false;
  }

  /**
   * The retraining policy every sq8 index follows: learn the ranges again (and re-encode every vector)
   * once more than {@value #RETRAIN_SHARE} of the index's vectors, and at least {@value #RETRAIN_MIN},
   * were {@linkplain #farOutside far outside} the ranges when they were added.
   *
   * @param farOutsideSinceTraining vectors added far outside the ranges since they were learned
   * @param size the vectors the index holds
   * @return whether to retrain now
   */
  public static boolean shouldRetrain(int farOutsideSinceTraining, int size) {
    return farOutsideSinceTraining >= RETRAIN_MIN && farOutsideSinceTraining > RETRAIN_SHARE * size;
  }

  /** {@return the bytes this quantizer holds} */
  public long ramBytesUsed() {
    return 64 + 4 * (16 + 4L * lo.length);
  }
}
