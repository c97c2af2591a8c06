// Single-thread memory read bandwidth, to set the flat index's scan speed against: sums a float array
// with AVX-512 loads (four independent accumulators), best of 8 passes, for a 1 GiB array and for one of
// Fashion-MNIST's size (60,000 x 784 floats, 188 MB), both far larger than the caches.
//
// Compile and run:
//   gcc -O3 -march=native -o membw peers/membw.c && ./membw
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  const size_t sizes[2] = {1UL << 28, 60000UL * 784};
  for (int s = 0; s < 2; s++) {
    size_t n = sizes[s];
    float* a = aligned_alloc(64, n * sizeof(float));
    for (size_t i = 0; i < n; i++) a[i] = (float)(i & 1023);
    double best = 1e9;
    float sink = 0;
    for (int pass = 0; pass < 8; pass++) {
      double start = now();
      __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      for (size_t i = 0; i + 64 <= n; i += 64) {
        acc0 = _mm512_add_ps(acc0, _mm512_load_ps(a + i));
        acc1 = _mm512_add_ps(acc1, _mm512_load_ps(a + i + 16));
        acc2 = _mm512_add_ps(acc2, _mm512_load_ps(a + i + 32));
        acc3 = _mm512_add_ps(acc3, _mm512_load_ps(a + i + 48));
      }
      sink += _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
      double elapsed = now() - start;
      if (elapsed < best) best = elapsed;
    }
    printf("%zu MB read in %.4f s (best of 8): %.2f GB/s  [%g]\n", n * sizeof(float) / 1000000, best,
           n * sizeof(float) / best / 1e9, sink);
    free(a);
  }
  return 0;
}
