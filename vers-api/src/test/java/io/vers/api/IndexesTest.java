package io.vers.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexesTest {
  @Test
  void lookupIgnoresCase() {
    assertEquals("flat", Indexes.provider("FLAT").name());
    assertEquals("flat", Indexes.create(" Flat ", 3, Metric.DOT).algorithm());
  }

  @Test
  void unknownAlgorithmListsWhatExistsAndTheModuleToAdd() {
    UnknownAlgorithmException e = assertThrows(UnknownAlgorithmException.class, () -> Indexes.provider("hnsw"));
    assertTrue(e.getMessage().contains("available: flat"), e.getMessage());
    assertTrue(e.getMessage().contains("vers-hnsw"), e.getMessage());
    UnknownAlgorithmException other = assertThrows(UnknownAlgorithmException.class, () -> Indexes.provider("annoy"));
    assertTrue(other.getMessage().contains("'annoy'"), other.getMessage());
    assertEquals("annoy", other.algorithm());
  }

  @Test
  void parametersResolveAliasesDefaultsAndStrings() {
    List<ParameterSpec> specs = List.of(
        ParameterSpec.ofInt("m", 16, 2, 512, "links", "num_neighbours"),
        ParameterSpec.ofInt("efConstruction", 200, 1, 100_000, "build beam"),
        ParameterSpec.ofInt("maxLevels", null, 1, 64, "cap", "num_layers"),
        ParameterSpec.ofDouble("tolerance", 1e-4, 0, 1, "stop"),
        ParameterSpec.ofBoolean("parallel", true, "threads"));
    IndexParams p = IndexParams.resolve("hnsw", specs,
        Map.of("num_neighbours", 32, "ef_construction", "100", "tolerance", 0.5f));
    assertEquals(32, p.getInt("m"));
    assertEquals(100, p.getInt("efConstruction"));
    assertTrue(p.optionalInt("maxLevels").isEmpty());
    assertEquals(0.5, p.getDouble("tolerance"));
    assertTrue(p.getBoolean("parallel"));
    assertEquals(List.of("m", "efConstruction", "tolerance", "parallel"), List.copyOf(p.asMap().keySet()));
    assertEquals(3, IndexParams.resolve("hnsw", specs, Map.of("NUM_LAYERS", 3)).getInt("maxLevels"));
  }

  @Test
  void badParametersNameTheProblem() {
    List<ParameterSpec> specs = List.of(ParameterSpec.ofInt("m", 16, 2, 512, "links", "num_neighbours"));
    String unknown = assertThrows(InvalidParameterException.class,
        () -> IndexParams.resolve("hnsw", specs, Map.of("M_max", 3))).getMessage();
    assertTrue(unknown.contains("'M_max'") && unknown.contains("m (num_neighbours)"), unknown);
    String range = assertThrows(InvalidParameterException.class,
        () -> IndexParams.resolve("hnsw", specs, Map.of("num_neighbours", 0))).getMessage();
    assertTrue(range.contains("m") && range.contains("num_neighbours") && range.contains("[2, 512]"), range);
    assertThrows(InvalidParameterException.class, () -> IndexParams.resolve("hnsw", specs, Map.of("m", 2.5)));
    assertThrows(InvalidParameterException.class, () -> IndexParams.resolve("hnsw", specs, Map.of("m", "many")));
    assertThrows(InvalidParameterException.class,
        () -> IndexParams.resolve("hnsw", specs, Map.of("m", 4, "num_neighbours", 4)));
  }

  @Test
  void longParametersKeepEveryBit() {
    List<ParameterSpec> specs = List.of(ParameterSpec.ofLong("seed", 42L, Long.MIN_VALUE, Long.MAX_VALUE, "seed"));
    long big = (1L << 62) + 1;
    assertEquals(big, IndexParams.resolve("x", specs, Map.of("seed", String.valueOf(big))).getLong("seed"));
    assertEquals(big, IndexParams.resolve("x", specs, Map.of("seed", big)).getLong("seed"));
    assertEquals(Long.MIN_VALUE, IndexParams.resolve("x", specs, Map.of("seed", "-9223372036854775808")).getLong("seed"));
    assertEquals(7L, IndexParams.resolve("x", specs, Map.of("seed", 7)).getLong("seed"));
  }

  @Test
  void searchParamsByName() {
    SearchParams p = SearchParams.builder().set("ef_search", 40).set("NPROBE", 3).set("search-k", 9).build();
    assertEquals(40, p.ef().getAsInt());
    assertEquals(3, p.nprobe().getAsInt());
    assertEquals(9, p.searchK().getAsInt());
    assertTrue(SearchParams.DEFAULT.ef().isEmpty());
    assertThrows(InvalidParameterException.class, () -> SearchParams.builder().set("ef", 0));
    assertThrows(InvalidParameterException.class, () -> SearchParams.builder().set("beam", 3));
  }

  @Test
  void metricParsing() {
    assertEquals(Metric.L2, Metric.parse("Euclidean"));
    assertEquals(Metric.COSINE, Metric.parse("angular"));
    assertEquals(Metric.DOT, Metric.parse("ip"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Metric.parse("hamming"))
        .getMessage().contains("[l2, cosine, dot]"));
  }
}
