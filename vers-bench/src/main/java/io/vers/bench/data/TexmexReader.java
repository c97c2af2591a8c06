package io.vers.bench.data;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the TEXMEX formats (the SIFT/GIST benchmark files): every record is a little-endian int32
 * dimension {@code d} followed by {@code d} components, float32 in {@code .fvecs}, int32 in
 * {@code .ivecs} and unsigned bytes in {@code .bvecs}. Every record must have the same dimension.
 * Gzip-compressed files are read transparently. Stateless; thread-safe.
 */
public final class TexmexReader {
  /** Dimensions above this are taken as a sign that the file is not in the format. */
  static final int MAX_DIMENSION = 1 << 20;

  private TexmexReader() {}

  /** The vectors of an {@code .fvecs} file, at most {@code limit}. */
  public static float[][] readFvecs(Path file, int limit, ProgressListener progress) throws IOException {
    return readFloatRecords(file, limit, progress, 4, (in, v, what) -> in.readFloats(v, what));
  }

  /** The vectors of a {@code .bvecs} file as floats 0 to 255, at most {@code limit}. */
  public static float[][] readBvecs(Path file, int limit, ProgressListener progress) throws IOException {
    return readFloatRecords(file, limit, progress, 1, (in, v, what) -> in.readUnsignedBytes(v, what));
  }

  /** The records of an {@code .ivecs} file (typically ground-truth neighbour ids), at most {@code limit}. */
  public static int[][] readIvecs(Path file, int limit, ProgressListener progress) throws IOException {
    List<int[]> out = new ArrayList<>();
    try (BinaryInput in = BinaryInput.open(file, ByteOrder.LITTLE_ENDIAN, progress)) {
      int dimension = -1;
      while (out.size() < limit && !in.atEnd()) {
        dimension = readDimension(in, out.size(), dimension, 4);
        int[] record = new int[dimension];
        in.readInts(record, "record " + out.size());
        out.add(record);
        if ((out.size() & 4095) == 0) {
          in.reportProgress();
        }
      }
      in.reportProgress();
    }
    return out.toArray(new int[0][]);
  }

  /** The ivecs records as floats, for using an {@code .ivecs} file as vectors. */
  public static float[][] readIvecsAsVectors(Path file, int limit, ProgressListener progress) throws IOException {
    return readFloatRecords(file, limit, progress, 4, (in, v, what) -> in.readIntsAsFloats(v, what));
  }

  @FunctionalInterface
  private interface ComponentReader {
    void read(BinaryInput in, float[] vector, String what) throws IOException;
  }

  private static float[][] readFloatRecords(
      Path file, int limit, ProgressListener progress, int componentBytes, ComponentReader reader) throws IOException {
    List<float[]> out = new ArrayList<>();
    try (BinaryInput in = BinaryInput.open(file, ByteOrder.LITTLE_ENDIAN, progress)) {
      int dimension = -1;
      while (out.size() < limit && !in.atEnd()) {
        dimension = readDimension(in, out.size(), dimension, componentBytes);
        float[] vector = new float[dimension];
        reader.read(in, vector, "vector " + out.size());
        out.add(vector);
        if ((out.size() & 4095) == 0) {
          in.reportProgress();
        }
      }
      in.reportProgress();
    }
    return out.toArray(new float[0][]);
  }

  private static int readDimension(BinaryInput in, int record, int expected, int componentBytes) throws IOException {
    long at = in.offset();
    int dimension = in.readInt("the dimension of record " + record);
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new DataFormatException(in.file(), at, "record " + record + " declares dimension " + dimension
          + "; expected a little-endian int32 from 1 to " + MAX_DIMENSION + " before every record"
          + (record == 0 ? " (is this really a TEXMEX file?)" : ""));
    }
    if (expected >= 0 && dimension != expected) {
      throw new DataFormatException(in.file(), at, "record " + record + " declares dimension " + dimension
          + " but record 0 has dimension " + expected + "; every record must have the same dimension"
          + " (records are 4 + " + componentBytes + " * dimension bytes)");
    }
    return dimension;
  }
}
