package io.vers.bench.data;

import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads vectors and neighbour lists from any supported file, choosing the reader by
 * {@link VectorFormat#of(Path) file name}. Stateless; thread-safe.
 */
public final class VectorFiles {
  private VectorFiles() {}

  /**
   * The vectors of {@code file}, at most {@code limit}: for HDF5, the {@code train} dataset; for word
   * vector text files, the vectors without their words.
   */
  public static float[][] readVectors(Path file, int limit, ProgressListener progress) throws IOException {
    return readVectors(file, "train", limit, progress);
  }

  /**
   * As {@link #readVectors(Path, int, ProgressListener)}, reading the HDF5 dataset {@code hdf5Dataset}
   * ({@code train} or {@code test}) when the file is HDF5.
   */
  public static float[][] readVectors(Path file, String hdf5Dataset, int limit, ProgressListener progress)
      throws IOException {
    requireFile(file);
    float[][] vectors = switch (VectorFormat.of(file)) {
      case FVECS -> TexmexReader.readFvecs(file, limit, progress);
      case BVECS -> TexmexReader.readBvecs(file, limit, progress);
      case IVECS -> TexmexReader.readIvecsAsVectors(file, limit, progress);
      case TEXT -> WordVectorReader.read(file, limit, progress).vectors();
      case IDX -> IdxReader.read(file, limit, progress);
      case HDF5 -> AnnBenchmarksHdf5.readVectors(file, hdf5Dataset, limit);
    };
    if (vectors.length == 0) {
      throw new DataFormatException(file, 0, "holds no vectors");
    }
    return vectors;
  }

  /**
   * Neighbour lists (ground truth: base ordinals, nearest first), at most {@code limit}: an
   * {@code .ivecs} file, or the {@code neighbors} dataset of an HDF5 file.
   */
  public static int[][] readNeighbours(Path file, int limit, ProgressListener progress) throws IOException {
    requireFile(file);
    return switch (VectorFormat.of(file)) {
      case IVECS -> TexmexReader.readIvecs(file, limit, progress);
      case HDF5 -> AnnBenchmarksHdf5.readNeighbors(file, limit);
      default -> throw new IllegalArgumentException("ground truth must be an .ivecs file or an ann-benchmarks .hdf5"
          + " file; got " + file);
    };
  }

  /** Word vectors from a fastText {@code .vec} or GloVe text file. */
  public static WordVectors readWords(Path file, int limit, ProgressListener progress) throws IOException {
    requireFile(file);
    return WordVectorReader.read(file, limit, progress);
  }

  static void requireFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such file");
    }
    if (Files.isDirectory(file)) {
      throw new IOException(file + " is a directory; pass a vector file");
    }
  }
}
