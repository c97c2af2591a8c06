package io.vers.bench.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.vers.api.ParameterSpec;
import org.junit.jupiter.api.Test;

class KnobGridTest {
  @Test
  void candidateListsStartAtKAndStopAtN() {
    ParameterSpec ef = ParameterSpec.ofInt("ef", 40, 1, 1 << 20, "");
    assertArrayEquals(new int[] {10, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 300}, KnobGrid.values(ef, 10, 300));
  }

  @Test
  void otherKnobsStartAtTheirMinimumAndStopAtTheirMaximum() {
    ParameterSpec nprobe = ParameterSpec.ofInt("nprobe", 8, 1, 20, "");
    assertArrayEquals(new int[] {1, 2, 3, 4, 6, 8, 12, 16, 20}, KnobGrid.values(nprobe, 10, 1_000_000));
  }

  @Test
  void aliasesOfCandidateListsCount() {
    ParameterSpec searchK = ParameterSpec.ofInt("search_k", null, 1, 100, "");
    assertArrayEquals(new int[] {5, 6, 8, 12, 16, 24, 32, 48, 64, 96, 100}, KnobGrid.values(searchK, 5, 1000));
  }
}
