package io.vers.bench.jmh;

import io.vers.spi.simd.Kernels;
import io.vers.spi.simd.VectorKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The distance kernels, scalar against SIMD (Panama Vector API), at the dimensions of SIFT (128) and
 * Fashion-MNIST (784): nanoseconds per distance between a query and one of 64 stored vectors laid out in
 * one flat array, as an index holds them. Run with {@code ./vers jmh KernelBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@State(Scope.Thread)
public class KernelBenchmark {
  private static final int VECTORS = 64;

  @Param({"128", "784"})
  int dimension;

  @Param({"scalar", "simd"})
  String kernel;

  private VectorKernel k;
  private float[] query;
  private float[] stored;
  private int next;

  @Setup
  public void setUp() {
    k = kernel.equals("scalar")
        ? Kernels.scalar().vector()
        : Kernels.panama().map(Kernels::vector).orElseThrow(() -> new IllegalStateException(
            "no SIMD kernel in this JVM: run with --add-modules jdk.incubator.vector on a CPU with 128-bit vectors"));
    SplittableRandom random = new SplittableRandom(7);
    query = new float[dimension];
    stored = new float[VECTORS * dimension];
    for (int i = 0; i < query.length; i++) {
      query[i] = (float) random.nextDouble(-1, 1);
    }
    for (int i = 0; i < stored.length; i++) {
      stored[i] = (float) random.nextDouble(-1, 1);
    }
  }

  private int offset() {
    int o = next;
    next = (next + 1) % VECTORS;
    return o * dimension;
  }

  @Benchmark
  public float dot() {
    return k.dot(query, 0, stored, offset(), dimension);
  }

  @Benchmark
  public float squaredL2() {
    return k.squaredL2(query, 0, stored, offset(), dimension);
  }

  @Benchmark
  public float cosine() {
    return k.cosine(query, 0, stored, offset(), dimension);
  }
}
