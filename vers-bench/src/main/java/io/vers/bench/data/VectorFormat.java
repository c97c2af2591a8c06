package io.vers.bench.data;

import java.nio.file.Path;
import java.util.Locale;

/** The vector file formats vers reads, recognised by file name (a trailing {@code .gz} is ignored). */
public enum VectorFormat {
  /** TEXMEX float vectors: {@code .fvecs}. */
  FVECS("fvecs"),
  /** TEXMEX int vectors, usually ground truth: {@code .ivecs}. */
  IVECS("ivecs"),
  /** TEXMEX byte vectors: {@code .bvecs}. */
  BVECS("bvecs"),
  /** fastText / GloVe word vectors: {@code .vec}, {@code .txt}. */
  TEXT("fastText/GloVe text (.vec, .txt)"),
  /** MNIST-style IDX: {@code *-idx3-ubyte}, {@code .idx}. */
  IDX("IDX (*-idx3-ubyte, .idx)"),
  /** ann-benchmarks HDF5: {@code .hdf5}, {@code .h5}. */
  HDF5("ann-benchmarks HDF5 (.hdf5, .h5)");

  private final String description;

  VectorFormat(String description) {
    this.description = description;
  }

  /** A short description for messages. */
  public String description() {
    return description;
  }

  /**
   * The format of {@code file}, from its name.
   *
   * @throws IllegalArgumentException naming the supported extensions when the name is not recognised
   */
  public static VectorFormat of(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".fvecs")) {
      return FVECS;
    }
    if (name.endsWith(".ivecs")) {
      return IVECS;
    }
    if (name.endsWith(".bvecs")) {
      return BVECS;
    }
    if (name.endsWith(".vec") || name.endsWith(".txt")) {
      return TEXT;
    }
    if (name.endsWith(".hdf5") || name.endsWith(".h5")) {
      return HDF5;
    }
    if (name.endsWith(".idx") || name.matches(".*idx\\d+-ubyte") || name.endsWith("-ubyte")) {
      return IDX;
    }
    throw new IllegalArgumentException("cannot tell the format of " + file + " from its name; supported: .fvecs,"
        + " .ivecs, .bvecs, .vec/.txt (fastText/GloVe), *-idx3-ubyte/.idx (IDX), .hdf5/.h5 (ann-benchmarks),"
        + " each optionally .gz (HDF5 excepted)");
  }
}
