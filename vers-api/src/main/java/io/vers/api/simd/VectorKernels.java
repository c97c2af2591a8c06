package io.vers.api.simd;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Chooses the distance kernel once per JVM: the Panama kernel when the {@code jdk.incubator.vector}
 * module is present (run with {@code --add-modules jdk.incubator.vector}) and offers at least four
 * float lanes, otherwise the scalar kernel, with one log line saying why.
 *
 * <p>Set the system property {@code vers.kernel=scalar} to force the scalar kernel.
 */
public final class VectorKernels {
  private static final System.Logger LOG = System.getLogger(VectorKernels.class.getName());
  private static final String MODULE = "jdk.incubator.vector";
  private static final Optional<VectorKernel> PANAMA = loadPanama();
  private static final VectorKernel SELECTED = select();

  private VectorKernels() {}

  /** The kernel chosen for this JVM. */
  public static VectorKernel get() {
    return SELECTED;
  }

  /**
   * Whether the Vector API kernel is in use, so that callers may run Vector API code of their own
   * (it is present, has enough lanes, and was not turned off with {@code -Dvers.kernel=scalar}).
   */
  public static boolean simd() {
    return SELECTED != ScalarVectorKernel.INSTANCE;
  }

  /** The portable kernel, always available. */
  public static VectorKernel scalar() {
    return ScalarVectorKernel.INSTANCE;
  }

  /** The Vector API kernel, when this JVM can run it. */
  public static Optional<VectorKernel> panama() {
    return PANAMA;
  }

  static float cosineFromSums(float ab, float aa, float bb) {
    float norms = (float) Math.sqrt((double) aa * bb);
    return norms == 0f ? 0f : ab / norms;
  }

  private static Optional<VectorKernel> loadPanama() {
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      return Optional.empty();
    }
    try {
      if (PanamaVectorKernel.lanes() < 4) {
        return Optional.empty();
      }
      return Optional.of(new PanamaVectorKernel());
    } catch (LinkageError | RuntimeException e) {
      LOG.log(Level.DEBUG, "Vector API kernel failed to load", e);
      return Optional.empty();
    }
  }

  private static VectorKernel select() {
    if ("scalar".equalsIgnoreCase(System.getProperty("vers.kernel"))) {
      LOG.log(Level.INFO, "vers: scalar distance kernel (forced by -Dvers.kernel=scalar)");
      return ScalarVectorKernel.INSTANCE;
    }
    if (PANAMA.isPresent()) {
      return PANAMA.get();
    }
    if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
      LOG.log(Level.INFO, "vers: scalar distance kernel; run with --add-modules " + MODULE
          + " for the SIMD kernel");
    } else {
      LOG.log(Level.INFO, "vers: scalar distance kernel; the Vector API offers fewer than 4 float lanes here");
    }
    return ScalarVectorKernel.INSTANCE;
  }
}
