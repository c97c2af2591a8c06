package io.vers.bench.cli;

import io.vers.bench.data.VectorFiles;
import io.vers.bench.data.VectorFormat;
import io.vers.bench.data.WordVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads files with a progress bar named after the file. */
final class Loading {
  private Loading() {}

  static float[][] vectors(Progress progress, Path file, String hdf5Dataset, int limit) throws IOException {
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      return VectorFiles.readVectors(file, hdf5Dataset, limit, task);
    }
  }

  static int[][] neighbours(Progress progress, Path file, int limit) throws IOException {
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      return VectorFiles.readNeighbours(file, limit, task);
    }
  }

  static WordVectors words(Progress progress, Path file, int limit) throws IOException {
    VectorFormat format = VectorFormat.of(file);
    if (format != VectorFormat.TEXT) {
      throw new IllegalArgumentException(file + " is " + format.description() + "; word vectors come from a fastText"
          + " .vec or GloVe .txt file");
    }
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      return VectorFiles.readWords(file, limit, task);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
