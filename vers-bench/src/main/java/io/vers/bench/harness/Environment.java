package io.vers.bench.harness;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vers.spi.simd.Kernels;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark ran: the JDK (and whether its heap uses transparent huge pages), the number of cores, vers' distance kernel and, for every peer in the
 * run, whether its own SIMD path is active.
 *
 * @param jdk the JVM name, version and vendor
 * @param cores available processors
 * @param versKernel {@code Kernels.get().name()}, for example {@code panama-256} or {@code scalar}
 * @param peerSimd per peer name, whether its SIMD path is active, in words
 */
public record Environment(String jdk, int cores, String versKernel, Map<String, String> peerSimd) {
  /** The environment of this JVM, with the SIMD status of the peers among {@code contenders}. */
  public static Environment detect(List<Contender> contenders) {
    Map<String, String> peers = new LinkedHashMap<>();
    for (Contender c : contenders) {
      c.simdStatus().ifPresent(status -> peers.put(c.name(), status));
    }
    String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vendor") + ")" + (transparentHugePages() ? ", transparent huge pages" : "");
    return new Environment(jdk, Runtime.getRuntime().availableProcessors(), Kernels.get().name(), peers);
  }

  /** Whether this HotSpot JVM runs with {@code -XX:+UseTransparentHugePages}; false on other JVMs. */
  static boolean transparentHugePages() {
    try {
      return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("UseTransparentHugePages").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
