package io.vers.spi.simd;

import io.vers.api.Metric;
import io.vers.spi.storage.CodeStore;
import io.vers.spi.storage.VectorStore;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The one place vers decides how to compute distances. {@link #get()} is chosen once per JVM: the
 * Vector API family when the {@code jdk.incubator.vector} module is present (run with
 * {@code --add-modules jdk.incubator.vector}), offers at least four float lanes and loads, otherwise the
 * scalar family, with one log line saying why. Every kernel of the Vector API family has a scalar twin
 * in the scalar family, and algorithm modules reach both only through this class, so none of them
 * imports {@code jdk.incubator.vector}.
 *
 * <p>Set the system property {@code vers.kernel=scalar} to force the scalar family (tests run the whole
 * contract kit that way).
 */
public abstract class Kernels {
  private static final System.Logger LOG = System.getLogger(Kernels.class.getName());
  private static final String MODULE = "jdk.incubator.vector";
  private static final Kernels SCALAR = new ScalarKernels();
  private static final Optional<Kernels> PANAMA = loadPanama();
  private static final Kernels SELECTED = select();

  Kernels() {}

  /** {@return the family chosen for this JVM} */
  public static Kernels get() {
    return SELECTED;
  }

  /** {@return the portable family, always available} */
  public static Kernels scalar() {
    return SCALAR;
  }

  /** {@return the Vector API family, when this JVM can run it} */
  public static Optional<Kernels> panama() {
    return PANAMA;
  }

  /** {@return a short name for logs and benchmarks, for example {@code "panama-512"} or {@code "scalar"}} */
  public final String name() {
    return vector().name();
  }

  /** {@return whether this is the Vector API family} */
  public abstract boolean simd();

  /** {@return one-pair distances: dot, squared L2, cosine} */
  public abstract VectorKernel vector();

  /** {@return distances from one query to several stored vectors streamed together} */
  public abstract BatchDistance batch(VectorStore vectors, Metric metric);

  /** {@return dot products of one prepared query with several sq8 records streamed together} */
  public abstract CodeDots codeDots(CodeStore codes);

  /** {@return a blocked query-by-vector distance kernel; one per thread (it holds scratch)} */
  public abstract BlockDistance block(Metric metric, int dimension);

  /** {@return squared L2 distances from one vector to four} */
  public abstract L2Tiles l2Tiles();

  /** {@return dot products of rows with component-major panels of vectors} */
  public abstract DotPanels dotPanels();

  static float cosineFromSums(float ab, float aa, float bb) {
    float norms = (float) Math.sqrt((double) aa * bb);
    return norms == 0f ? 0f : ab / norms;
  }

  private static Optional<Kernels> loadPanama() {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      return Optional.empty();
    }
    try {
      if (PanamaVectorKernel.lanes() < 4) {
        return Optional.empty();
      }
      return Optional.of(new PanamaKernels());
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.DEBUG, "Vector API kernels failed to load", e);
      return Optional.empty();
    }
  }

  private static Kernels select() {
    if ("scalar".equalsIgnoreCase(System.getProperty("vers.kernel"))) {
      LOG.log(Level.INFO, "vers: scalar distance kernels (forced by -Dvers.kernel=scalar)");
      return SCALAR;
    }
    if (PANAMA.isPresent()) {
      return PANAMA.get();
    }
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      LOG.log(Level.INFO, "vers: scalar distance kernels; run with --add-modules " + MODULE
          + " for the SIMD kernels");
    } else {
      LOG.log(Level.INFO, "vers: scalar distance kernels; the Vector API offers fewer than 4 float lanes here");
    }
    return SCALAR;
  }

  /** Plain Java loops. */
  static final class ScalarKernels extends Kernels {
    private final DotPanels panels = new DotPanels.Scalar(16, 4);

    @Override
    public boolean simd() {
      return false;
    }

    @Override
    public VectorKernel vector() {
      return ScalarVectorKernel.INSTANCE;
    }

    @Override
    public BatchDistance batch(VectorStore vectors, Metric metric) {
      return new BatchDistance.Plain(vectors, metric);
    }

    @Override
    public CodeDots codeDots(CodeStore codes) {
      return new CodeDots.Plain(codes);
    }

    @Override
    public BlockDistance block(Metric metric, int dimension) {
      return new ScalarBlockDistance(metric, dimension);
    }

    @Override
    public L2Tiles l2Tiles() {
      return L2Tiles.Scalar.INSTANCE;
    }

    @Override
    public DotPanels dotPanels() {
      return panels;
    }
  }

  /**
   * The incubating Vector API. The constructor runs kernels once, so that a JVM that lists the module
   * but cannot run it falls back to the scalar family at selection time (it must not touch
   * {@link Metric}, whose initialisation asks this class for its kernel).
   */
  static final class PanamaKernels extends Kernels {
    private final VectorKernel vector = new PanamaVectorKernel();
    private final L2Tiles tiles = new PanamaL2Tiles();
    private final DotPanels panels = new PanamaDotPanels();

    PanamaKernels() {
      float[] x = new float[4 * 4];
      vector.dot(x, 0, x, 0, 4);
      tiles.tile1x4(x, 0, x, 0, 4, new float[4], 0, tiles.newScratch());
      panels.dot1(x, 0, new float[4 * panels.width()], 0, 0, 0, 0, 1, new float[4 * panels.width()]);
    }

    @Override
    public boolean simd() {
      return true;
    }

    @Override
    public VectorKernel vector() {
      return vector;
    }

    @Override
    public BatchDistance batch(VectorStore vectors, Metric metric) {
      return new PanamaBatchDistance(vectors, metric);
    }

    @Override
    public CodeDots codeDots(CodeStore codes) {
      return new PanamaCodeDots(codes);
    }

    @Override
    public BlockDistance block(Metric metric, int dimension) {
      return new PanamaBlockDistance(metric, dimension);
    }

    @Override
    public L2Tiles l2Tiles() {
      return tiles;
    }

    @Override
    public DotPanels dotPanels() {
      return panels;
    }
  }
}
