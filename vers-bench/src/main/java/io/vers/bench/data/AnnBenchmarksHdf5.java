package io.vers.bench.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.vers.api.Metric;
import io.vers.spi.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the HDF5 files of ann-benchmarks: datasets {@code train} (base vectors), {@code test} (queries)
 * and {@code neighbors} (exact neighbour ids per query, nearest first), and the root attribute
 * {@code distance} ({@code euclidean}, {@code angular}, {@code dot}). Uses the pure-Java jhdf reader.
 * Stateless; thread-safe.
 */
public final class AnnBenchmarksHdf5 {
  /** The HDF5 format signature; it sits at offset 0, 512, 1024, 2048, ... */
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private AnnBenchmarksHdf5() {}

  /** The rows of the float dataset {@code name} ({@code train} or {@code test}), at most {@code limit}. */
  public static float[][] readVectors(Path file, String name, int limit) throws IOException {
    checkSignature(file);
    try (HdfFile hdf = open(file)) {
      Dataset dataset = dataset(file, hdf, name);
      int[] shape = shape(file, dataset);
      int rows = Math.min(shape[0], limit);
      Object data = rows == shape[0] ? dataset.getDataFlat() : slice(dataset, rows, shape[1]);
      return toFloatRows(file, dataset, data, rows, shape[1]);
    } catch (RuntimeException e) {
      throw failed(file, "HDF5 reader failed on dataset '" + name + "'", e);
    }
  }

  /** The rows of the {@code neighbors} dataset, at most {@code limit}. */
  public static int[][] readNeighbors(Path file, int limit) throws IOException {
    checkSignature(file);
    try (HdfFile hdf = open(file)) {
      Dataset dataset = dataset(file, hdf, "neighbors");
      int[] shape = shape(file, dataset);
      int rows = Math.min(shape[0], limit);
      Object data = rows == shape[0] ? dataset.getDataFlat() : slice(dataset, rows, shape[1]);
      int[][] out = new int[rows][shape[1]];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < shape[1]; c++) {
          int i = r * shape[1] + c;
          long id;
          if (data instanceof int[] a) {
            id = a[i];
          } else if (data instanceof long[] a) {
            id = a[i];
          } else {
            throw new DataFormatException(file, dataset.getAddress(), "dataset 'neighbors' holds "
                + dataset.getJavaType().getSimpleName() + "; expected integer ids");
          }
          if (id < 0 || id > Integer.MAX_VALUE) {
            throw new DataFormatException(file, dataset.getAddress(), "dataset 'neighbors' row " + r + " has id " + id
                + "; ids must be base ordinals from 0");
          }
          out[r][c] = (int) id;
        }
      }
      return out;
    } catch (RuntimeException e) {
      throw failed(file, "HDF5 reader failed on dataset 'neighbors'", e);
    }
  }

  /** Whether the file has a {@code neighbors} dataset. */
  public static boolean hasNeighbors(Path file) throws IOException {
    checkSignature(file);
    try (HdfFile hdf = open(file)) {
      return hdf.getChildren().containsKey("neighbors");
    } catch (RuntimeException e) {
      throw failed(file, "HDF5 reader failed", e);
    }
  }

  /** The metric named by the root attribute {@code distance}, when present and known. */
  public static Optional<Metric> metric(Path file) throws IOException {
    checkSignature(file);
    try (HdfFile hdf = open(file)) {
      Attribute attribute = hdf.getAttribute("distance");
      if (attribute == null) {
        return Optional.empty();
      }
      Object value = attribute.getData();
      if (value instanceof String[] array && array.length > 0) {
        value = array[0];
      }
      String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
      try {
        return Optional.of(Metric.parse(text));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(file, 0, "its distance attribute is " + Messages.quote(text)
            + ", which vers does not support; use files whose distance is euclidean, angular or dot");
      }
    } catch (RuntimeException e) {
      throw failed(file, "HDF5 reader failed", e);
    }
  }

  /**
   * Opens {@code file} with jhdf. A file of at most 2 GiB is memory-mapped and read from the mapping: jhdf's
   * file-channel storage allocates a heap buffer of whatever size a block header declares before it finds
   * that the file is shorter (a damaged 300-byte file can make it allocate hundreds of MB, or fail with
   * {@code OutOfMemoryError}), while reading a mapping slices it, which fails at once on a range outside
   * the file. Larger files, which a mapping cannot hold, are read through the file channel.
   */
  private static HdfFile open(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size <= Integer.MAX_VALUE) {
        // The mapping stays valid after the channel is closed.
        return HdfFile.fromByteBuffer(channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
      }
    }
    return new HdfFile(file);
  }

  /**
   * What jhdf threw while reading a file, as a {@link DataFormatException}. jhdf reports most damage with
   * an {@link HdfException}, but on malformed structures it can also fail with other unchecked exceptions
   * (an {@code ArithmeticException} for an out-of-range size, an {@code IllegalArgumentException} for a
   * field of impossible width, ...): the file, not the caller, is at fault either way.
   */
  private static DataFormatException failed(Path file, String what, RuntimeException e) {
    String detail = String.valueOf(e.getMessage());
    if (!(e instanceof HdfException)) {
      detail = e.getClass().getSimpleName() + ": " + detail;
    }
    DataFormatException failed = new DataFormatException(file, 0, what + ": " + Messages.quote(detail));
    failed.initCause(e);
    return failed;
  }

  private static Dataset dataset(Path file, HdfFile hdf, String name) throws DataFormatException {
    Node node = hdf.getChildren().get(name);
    if (node == null) {
      throw new DataFormatException(file, 0, "no dataset '" + name + "' at the root; found "
          + hdf.getChildren().keySet().stream().map(Messages::quote).toList()
          + "; an ann-benchmarks file has train, test and neighbors");
    }
    if (!(node instanceof Dataset dataset)) {
      throw new DataFormatException(file, node.getAddress(), "'" + name + "' is a group, not a dataset");
    }
    return dataset;
  }

  private static int[] shape(Path file, Dataset dataset) throws DataFormatException {
    int[] shape = dataset.getDimensions();
    if (shape.length != 2 || shape[1] < 1) {
      throw new DataFormatException(file, dataset.getAddress(), "dataset '" + dataset.getName() + "' has shape "
          + Arrays.toString(shape) + "; expected two dimensions (rows x components)");
    }
    return shape;
  }

  private static Object slice(Dataset dataset, int rows, int columns) {
    Object data = dataset.getData(new long[] {0, 0}, new int[] {rows, columns});
    // Slices come back as 2-D arrays; flatten them like getDataFlat().
    if (data instanceof float[][] a) {
      float[] flat = new float[rows * columns];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a[r], 0, flat, r * columns, columns);
      }
      return flat;
    }
    if (data instanceof double[][] a) {
      double[] flat = new double[rows * columns];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a[r], 0, flat, r * columns, columns);
      }
      return flat;
    }
    if (data instanceof int[][] a) {
      int[] flat = new int[rows * columns];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a[r], 0, flat, r * columns, columns);
      }
      return flat;
    }
    if (data instanceof long[][] a) {
      long[] flat = new long[rows * columns];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(a[r], 0, flat, r * columns, columns);
      }
      return flat;
    }
    return data;
  }

  private static float[][] toFloatRows(Path file, Dataset dataset, Object data, int rows, int columns)
      throws DataFormatException {
    double[] values;
    if (data instanceof float[] a) {
      float[][] out = new float[rows][];
      for (int r = 0; r < rows; r++) {
        out[r] = Arrays.copyOfRange(a, r * columns, (r + 1) * columns);
        for (int c = 0; c < columns; c++) {
          if (!Float.isFinite(out[r][c])) {
            throw nonFinite(file, dataset, r, c, out[r][c]);
          }
        }
      }
      return out;
    } else if (data instanceof double[] a) {
      values = a;
    } else if (data instanceof int[] a) {
      values = Arrays.stream(a).asDoubleStream().toArray();
    } else if (data instanceof long[] a) {
      values = Arrays.stream(a).asDoubleStream().toArray();
    } else {
      throw new DataFormatException(file, dataset.getAddress(), "dataset '" + dataset.getName() + "' holds "
          + dataset.getJavaType().getSimpleName() + "; expected float, double or integer numbers");
    }
    float[][] out = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        double x = values[r * columns + c];
        if (!Double.isFinite(x) || Math.abs(x) > Float.MAX_VALUE) {
          throw nonFinite(file, dataset, r, c, x);
        }
        out[r][c] = (float) x;
      }
    }
    return out;
  }

  private static DataFormatException nonFinite(Path file, Dataset dataset, int row, int column, double x) {
    return new DataFormatException(file, dataset.getAddress(), "dataset '" + dataset.getName() + "' row " + row
        + " has " + x + " at component " + column + "; every component must be a finite float");
  }

  /** Fails with a clear message when the file does not carry the HDF5 signature where the format puts it. */
  private static void checkSignature(Path file) throws IOException {
    long size = Files.size(file);
    byte[] head = new byte[SIGNATURE.length];
    try (InputStream in = Files.newInputStream(file)) {
      long position = 0;
      for (long candidate = 0; candidate + SIGNATURE.length <= size; candidate = candidate == 0 ? 512 : candidate * 2) {
        in.skipNBytes(candidate - position);
        int read = in.readNBytes(head, 0, head.length);
        position = candidate + read;
        if (read == head.length && Arrays.equals(head, SIGNATURE)) {
          return;
        }
      }
    }
    throw new DataFormatException(file, 0, "not an HDF5 file: no HDF5 signature at offset 0 (nor 512, 1024, ...)");
  }
}
