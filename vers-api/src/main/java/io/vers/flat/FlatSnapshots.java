package io.vers.flat;

import io.vers.api.CorruptIndexException;
import io.vers.api.IndexParams;
import io.vers.api.IndexSnapshot;
import io.vers.spi.IdMap;
import io.vers.spi.Vectors;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.ScalarQuantizer;
import io.vers.spi.storage.VectorStore;
import java.util.List;
import java.util.Map;

/**
 * The snapshot layout of a {@link FlatIndex}, state version 2: the build parameters; {@code ids}
 * ({@code long[]}, by ordinal); {@code vectors} ({@code float[]}, {@code size x dimension}), absent once
 * an sq8 index without kept vectors has learned its ranges; and, once an sq8 index has learned them,
 * {@code codes} ({@code byte[]}, {@link CodeStore#view} records of {@code dimension} codes and a float
 * {@code |x'|^2}), {@code lows} and {@code highs} ({@code float[dimension]}, the ranges) and the scalar
 * {@code farOutside}. Version 1 (ids and vectors, no parameters) restores as {@code quantization=none}.
 */
final class FlatSnapshots {
  private FlatSnapshots() {}

  /** The index's state, reading its storage in place; the caller keeps writers out. */
  static IndexSnapshot describe(FlatIndex index, int n) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(FlatIndex.NAME, FlatIndex.STATE_VERSION, index.dimension(),
        index.metric(), n).parameters(index.params()).array("ids", index.idMap().view(n));
    VectorStore vectors = index.floats();
    if (vectors != null) {
      b.array("vectors", vectors.view(n));
    }
    FlatCodes codes = index.codes();
    if (codes != null && codes.trained()) {
      b.array("codes", codes.codes().view(n))
          .floats("lows", codes.quantizer().lows())
          .floats("highs", codes.quantizer().highs())
          .scalar("farOutside", codes.farOutside());
    }
    return b.build();
  }

  /** Validates a snapshot of state version 1 or 2 and builds the index. */
  static FlatIndex restore(IndexSnapshot snapshot) throws CorruptIndexException {
    snapshot.checkAlgorithm(FlatIndex.NAME, FlatIndex.STATE_VERSION);
    int dim = snapshot.dimension();
    int n = snapshot.size();
    IndexParams params;
    if (snapshot.stateVersion() == 1) {
      snapshot.resolveParameters(List.of()); // version 1 had none
      params = IndexParams.resolve(FlatIndex.NAME, FlatIndexProvider.PARAMETERS, Map.of());
    } else {
      params = snapshot.resolveParameters(FlatIndexProvider.PARAMETERS);
    }
    boolean sq8 = "sq8".equals(params.getString(ScalarQuantizer.QUANTIZATION.name()));
    boolean keep = params.getBoolean(ScalarQuantizer.KEEP_VECTORS.name());
    boolean trained = snapshot.arrays().containsKey("codes");
    if (!sq8 && (trained || snapshot.arrays().containsKey("lows"))) {
      throw new CorruptIndexException("flat snapshot with quantization=none holds codes");
    }
    if (sq8 && !trained && n >= ScalarQuantizer.TRAIN_AT) {
      throw new CorruptIndexException("flat sq8 snapshot of " + n + " vectors has no codes; it learns its ranges at "
          + ScalarQuantizer.TRAIN_AT);
    }
    boolean floats = !trained || keep;
    if (floats != snapshot.arrays().containsKey("vectors")) {
      throw new CorruptIndexException("flat snapshot " + (floats ? "lacks" : "holds") + " the float vectors"
          + " (quantization=" + (sq8 ? "sq8" : "none") + ", keepVectors=" + keep + ")");
    }
    long[] idArray = snapshot.longs("ids");
    if (idArray.length != n) {
      throw new CorruptIndexException("flat snapshot of " + n + " vectors has " + idArray.length + " ids");
    }
    VectorStore vectors = floats ? vectors(snapshot, n, dim) : null;
    FlatCodes codes = !sq8 ? null
        : trained ? codes(snapshot, n, dim) : new FlatCodes(dim, snapshot.metric());
    IdMap map = new IdMap(n);
    for (int ord = 0; ord < n; ord++) {
      if (map.put(idArray[ord], ord) >= 0) {
        throw new CorruptIndexException("flat snapshot repeats id " + idArray[ord]);
      }
    }
    return new FlatIndex(dim, snapshot.metric(), params, vectors, codes, map);
  }

  private static VectorStore vectors(IndexSnapshot snapshot, int n, int dim) throws CorruptIndexException {
    float[] data = snapshot.floats("vectors");
    if ((long) n * dim != data.length) {
      throw new CorruptIndexException("flat snapshot of " + n + " vectors of dimension " + dim
          + " has " + data.length + " floats");
    }
    Vectors.checkStored(data, dim, snapshot.metric(), "flat snapshot: the vector of ordinal");
    return VectorStore.fromArray(dim, data, n);
  }

  private static FlatCodes codes(IndexSnapshot snapshot, int n, int dim) throws CorruptIndexException {
    float[] lows = snapshot.floats("lows");
    float[] highs = snapshot.floats("highs");
    if (lows.length != dim || highs.length != dim) {
      throw new CorruptIndexException("flat snapshot of dimension " + dim + " has " + lows.length + " lows and "
          + highs.length + " highs");
    }
    ScalarQuantizer quantizer = ScalarQuantizer.of(lows, highs);
    long far = snapshot.scalar("farOutside");
    if (far < 0 || far > Integer.MAX_VALUE) {
      throw new CorruptIndexException("flat snapshot has a far-outside count of " + far);
    }
    byte[] data = snapshot.bytes("codes");
    long stride = dim + 4L;
    if (n * stride != data.length) {
      throw new CorruptIndexException("flat snapshot of " + n + " vectors of dimension " + dim + " has "
          + data.length + " code bytes, not " + n * stride);
    }
    CodeStore.checkNorms(quantizer, data, n, "flat snapshot: the codes of ordinal");
    return new FlatCodes(dim, snapshot.metric(), quantizer, CodeStore.fromArray(dim, data, n), (int) far);
  }
}
