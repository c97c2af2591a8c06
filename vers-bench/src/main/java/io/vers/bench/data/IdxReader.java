package io.vers.bench.data;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads IDX files (the MNIST family, for example {@code train-images-idx3-ubyte.gz}), gzip-compressed or
 * not. The header is two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed byte, 0x0B int16,
 * 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, and one big-endian int32 per
 * dimension; the data follows, big-endian. The first dimension counts vectors and the others are
 * flattened into one vector each, so 60000 x 28 x 28 images become 60000 vectors of 784. Stateless;
 * thread-safe.
 */
public final class IdxReader {
  private IdxReader() {}

  /** The vectors of an IDX file, at most {@code limit}. */
  public static float[][] read(Path file, int limit, ProgressListener progress) throws IOException {
    try (BinaryInput in = BinaryInput.open(file, ByteOrder.BIG_ENDIAN, progress)) {
      int zero0 = in.readUnsignedByte("the IDX magic number");
      int zero1 = in.readUnsignedByte("the IDX magic number");
      if (zero0 != 0 || zero1 != 0) {
        throw new DataFormatException(file, 0, String.format(
            "not an IDX file: it starts with bytes 0x%02x 0x%02x, an IDX file starts with two zero bytes", zero0, zero1));
      }
      int type = in.readUnsignedByte("the IDX type byte");
      int width = elementBytes(type);
      if (width == 0) {
        throw new DataFormatException(file, 2, String.format("unknown IDX element type 0x%02x; supported: 0x08"
            + " (unsigned byte), 0x09 (byte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)", type));
      }
      int rank = in.readUnsignedByte("the IDX number of dimensions");
      if (rank < 2) {
        throw new DataFormatException(file, 3, "IDX file has " + rank + " dimension(s); vectors need at least 2"
            + " (count x components), so this looks like a labels file");
      }
      int count = 0;
      long dimension = 1;
      for (int i = 0; i < rank; i++) {
        long at = in.offset();
        int size = in.readInt("the size of IDX dimension " + i);
        if (size < 0) {
          throw new DataFormatException(file, at, "IDX dimension " + i + " has negative size " + size);
        }
        if (i == 0) {
          count = size;
        } else {
          // Capped so that a product of large sizes cannot wrap around into an acceptable dimension.
          dimension = Math.min(dimension * size, TexmexReader.MAX_DIMENSION + 1L);
        }
      }
      if (dimension < 1 || dimension > TexmexReader.MAX_DIMENSION) {
        throw new DataFormatException(file, 4, "IDX vectors would have " + dimension + " components; supported: 1 to "
            + TexmexReader.MAX_DIMENSION);
      }
      int n = Math.min(count, limit);
      // The count comes from the file: the vectors are collected as their bytes arrive, not allocated for it.
      List<float[]> out = new ArrayList<>(Math.min(n, 4096));
      for (int v = 0; v < n; v++) {
        float[] vector = new float[(int) dimension];
        String what = "vector " + v + " of " + count;
        switch (type) {
          case 0x08 -> in.readUnsignedBytes(vector, what);
          case 0x09 -> in.readSignedBytes(vector, what);
          case 0x0B -> in.readShorts(vector, what);
          case 0x0C -> in.readIntsAsFloats(vector, what);
          case 0x0D -> in.readFloats(vector, what);
          default -> in.readDoubles(vector, what);
        }
        out.add(vector);
        if ((v & 4095) == 4095) {
          in.reportProgress();
        }
      }
      if (n == count && !in.atEnd()) {
        throw new DataFormatException(file, in.offset(), "unexpected data after the last of the " + count
            + " vectors the header announces");
      }
      in.reportProgress();
      return out.toArray(new float[0][]);
    }
  }

  private static int elementBytes(int type) {
    return switch (type) {
      case 0x08, 0x09 -> 1;
      case 0x0B -> 2;
      case 0x0C, 0x0D -> 4;
      case 0x0E -> 8;
      default -> 0;
    };
  }
}
