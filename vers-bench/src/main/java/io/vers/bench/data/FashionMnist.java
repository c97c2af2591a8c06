package io.vers.bench.data;

import io.vers.api.Metric;
import io.vers.api.ProgressListener;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Fashion-MNIST as Debian's {@code dataset-fashion-mnist} package installs it under
 * {@code /usr/share/datasets/fashion-mnist}: the 60,000 training images are the base vectors and the
 * 10,000 test images the queries (784 components, 0 to 255), under L2, as in ann-benchmarks'
 * fashion-mnist-784-euclidean. The parent directory can be changed with the system property
 * {@value #DATASETS_PROPERTY}.
 */
public final class FashionMnist {
  /** System property naming the directory that holds {@code fashion-mnist/}. */
  public static final String DATASETS_PROPERTY = "vers.datasets.dir";

  public static final String NAME = "fashion-mnist";
  static final String TRAIN = "train-images-idx3-ubyte.gz";
  static final String TEST = "t10k-images-idx3-ubyte.gz";

  private FashionMnist() {}

  /** Where the dataset is looked for. */
  public static Path directory() {
    return Paths.get(System.getProperty(DATASETS_PROPERTY, "/usr/share/datasets")).resolve(NAME);
  }

  /**
   * The training and test image files.
   *
   * @param train the 60,000 training images (the base vectors)
   * @param test the 10,000 test images (the queries)
   */
  public record Files(Path train, Path test) {}

  /**
   * Finds the dataset's files.
   *
   * @throws MissingDatasetException naming the apt package when they are not there
   */
  public static Files locate() throws MissingDatasetException {
    Path dir = directory();
    Files files = new Files(dir.resolve(TRAIN), dir.resolve(TEST));
    for (Path file : new Path[] {files.train(), files.test()}) {
      if (!java.nio.file.Files.isRegularFile(file)) {
        throw new MissingDatasetException("Fashion-MNIST is not installed (" + file + " is missing); install"
            + " the Debian package with: sudo apt-get install dataset-fashion-mnist (or pass --base and --queries)");
      }
    }
    return files;
  }

  /**
   * Loads the dataset, with at most {@code maxQueries} queries.
   *
   * @throws MissingDatasetException naming the apt package when the files are not there
   */
  public static Dataset load(int maxQueries, ProgressListener progress) throws IOException {
    Files files = locate();
    float[][] base = IdxReader.read(files.train(), Integer.MAX_VALUE, progress);
    float[][] queries = IdxReader.read(files.test(), maxQueries, ProgressListener.NONE);
    return new Dataset(NAME, base, queries, null, Metric.L2);
  }
}
