package io.vers.api.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The real-data set under {@code shared/datasets/sift5k}: 4,800 SIFT descriptors (128-d, L2), 200
 * queries and their exact 100 nearest neighbours. Found through the system property
 * {@code vers.datasets} or by walking up from the working directory to a {@code shared/datasets}
 * folder that holds it.
 */
public final class Sift5k {
  public final float[][] base;
  public final float[][] queries;
  public final int[][] groundTruth;

  private Sift5k(float[][] base, float[][] queries, int[][] groundTruth) {
    this.base = base;
    this.queries = queries;
    this.groundTruth = groundTruth;
  }

  /**
   * Loads the set, or fails with a message saying where it was looked for. With
   * {@code -Dvers.skipDatasets=true} a missing set skips the calling test instead (for contributors
   * without the set; CI never sets it).
   */
  public static Sift5k load() throws IOException {
    Path dir;
    try {
      dir = locate();
    } catch (IllegalStateException e) {
      if (Boolean.getBoolean("vers.skipDatasets")) {
        Assumptions.abort(e.getMessage() + " (skipped: -Dvers.skipDatasets=true)");
      }
      throw e;
    }
    return new Sift5k(
        readFvecs(dir.resolve("sift5k.base.fvecs")),
        readFvecs(dir.resolve("sift5k.query.fvecs")),
        readIvecs(dir.resolve("sift5k.gt.ivecs")));
  }

  static Path locate() {
    String property = System.getProperty("vers.datasets");
    if (property != null) {
      Path dir = Paths.get(property);
      if (Files.isRegularFile(dir.resolve("sift5k.base.fvecs"))) {
        return dir;
      }
      throw new IllegalStateException("-Dvers.datasets=" + property + " has no sift5k.base.fvecs");
    }
    Path start = Paths.get("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      Path dir = p.resolve("shared").resolve("datasets");
      if (Files.isRegularFile(dir.resolve("sift5k.base.fvecs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "sift5k not found: looked for shared/datasets/sift5k.base.fvecs in " + start + " and every parent; "
            + "put the shared/ folder beside the repository or pass -Dvers.datasets=DIR");
  }

  static float[][] readFvecs(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int dim = buf.getInt(0);
    int n = buf.capacity() / (4 + 4 * dim);
    float[][] out = new float[n][dim];
    for (int i = 0; i < n; i++) {
      buf.getInt();
      for (int j = 0; j < dim; j++) {
        out[i][j] = buf.getFloat();
      }
    }
    return out;
  }

  static int[][] readIvecs(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int dim = buf.getInt(0);
    int n = buf.capacity() / (4 + 4 * dim);
    int[][] out = new int[n][dim];
    for (int i = 0; i < n; i++) {
      buf.getInt();
      for (int j = 0; j < dim; j++) {
        out[i][j] = buf.getInt();
      }
    }
    return out;
  }
}
