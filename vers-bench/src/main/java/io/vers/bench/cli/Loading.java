package io.vers.bench.cli;

import io.vers.bench.data.VectorFiles;
import io.vers.bench.data.VectorFormat;
import io.vers.bench.data.WordVectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads files as a progress phase named after the file. */
final class Loading {
  private Loading() {}

  static float[][] vectors(Progress progress, Path file, String hdf5Dataset, int limit) throws IOException {
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      float[][] vectors = VectorFiles.readVectors(file, hdf5Dataset, limit, task);
      task.complete();
      return vectors;
    }
  }

  static int[][] neighbours(Progress progress, Path file, int limit) throws IOException {
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      int[][] neighbours = VectorFiles.readNeighbours(file, limit, task);
      task.complete();
      return neighbours;
    }
  }

  static WordVectors words(Progress progress, Path file, int limit) throws IOException {
    VectorFormat format = VectorFormat.of(file);
    if (format != VectorFormat.TEXT) {
      throw new IllegalArgumentException(file + " is " + format.description() + "; word vectors come from a fastText"
          + " .vec or GloVe .txt file");
    }
    try (Progress.Task task = progress.startBytes("read " + file.getFileName(), size(file))) {
      WordVectors words = VectorFiles.readWords(file, limit, task);
      task.complete();
      return words;
    }
  }

  /** The file's size; a missing file fails here, before a phase is started for it. */
  private static long size(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }
}
