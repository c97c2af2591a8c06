package io.vers.bench.harness;

import io.vers.api.ParameterSpec;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The values a recall sweep tries for a search knob: a ladder of round numbers (1, 2, 3, 4, 6, 8, 12,
 * 16, 24, ... each step at most 1.5x the previous) within the knob's range, plus both ends of the range
 * (so that a sweep can reach, say, every list of an IVF index). Candidate-list knobs
 * ({@code ef}, {@code searchK}) start at {@code k}, since smaller values mean {@code k}; others (such as
 * {@code nprobe}) start at their minimum. Stateless.
 */
public final class KnobGrid {
  /** The largest value tried, whatever the knob's declared maximum. */
  static final int CAP = 1 << 16;

  private KnobGrid() {}

  /**
   * The ascending values to try.
   *
   * @param k the number of neighbours searched for
   * @param n the number of base vectors (candidate lists longer than that are pointless)
   */
  public static int[] values(ParameterSpec knob, int k, int n) {
    boolean candidateList = isCandidateList(knob.name());
    long low = Math.max(1, (long) Math.ceil(knob.min()));
    if (candidateList) {
      low = Math.max(low, k);
    }
    long high = Math.min((long) Math.floor(knob.max()), CAP);
    if (candidateList) {
      high = Math.min(high, Math.max(n, k));
    }
    TreeSet<Long> values = new TreeSet<>();
    if (low <= high) {
      values.add(low);
      values.add(high);
    }
    for (long base = 1; base <= high; base *= 2) {
      for (long v : new long[] {base, base * 3 / 2}) {
        if (v >= low && v <= high) {
          values.add(v);
        }
      }
    }
    return values.stream().mapToInt(Long::intValue).toArray();
  }

  /** Whether values of the knob below {@code k} are meaningless (it sizes a candidate list). */
  static boolean isCandidateList(String name) {
    String key = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return key.equals("ef") || key.equals("efsearch") || key.equals("searchk") || key.equals("budget");
  }
}
