package io.vers.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.spi.SearchKnobs;
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
  void withDefaultChangesTheDefaultOnly() {
    ParameterSpec spec = ParameterSpec.ofInt("m", 16, 2, 512, "links", "num_neighbours");
    ParameterSpec other = spec.withDefault(32);
    assertEquals(32, other.defaultValue());
    assertEquals(new ParameterSpec("m", ParameterSpec.Type.INT, 32, 2, 512, List.of("num_neighbours"), "links",
        List.of()), other);
    assertEquals(spec, other.withDefault(16));
    assertEquals(null, spec.withDefault(null).defaultValue());
  }

  @Test
  void badParametersNameTheProblem() {
    List<ParameterSpec> specs = List.of(ParameterSpec.ofInt("m", 16, 2, 512, "links", "num_neighbours"));
    String unknown = assertThrows(IllegalParameterException.class,
        () -> IndexParams.resolve("hnsw", specs, Map.of("M_max", 3))).getMessage();
    assertTrue(unknown.contains("'M_max'") && unknown.contains("m (num_neighbours)"), unknown);
    String range = assertThrows(IllegalParameterException.class,
        () -> IndexParams.resolve("hnsw", specs, Map.of("num_neighbours", 0))).getMessage();
    assertTrue(range.contains("m") && range.contains("num_neighbours") && range.contains("[2, 512]"), range);
    assertThrows(IllegalParameterException.class, () -> IndexParams.resolve("hnsw", specs, Map.of("m", 2.5)));
    assertThrows(IllegalParameterException.class, () -> IndexParams.resolve("hnsw", specs, Map.of("m", "many")));
    assertThrows(IllegalParameterException.class,
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
  void searchParamsKeepKnobsByNameAndAreCheckedByTheIndexThatReadsThem() {
    SearchParams p = SearchParams.builder().set("ef_search", 40).set("NPROBE", 3).set("search-k", 9).set("nprobe", 4)
        .build();
    assertEquals(Map.of("ef_search", 40, "nprobe", 4, "search-k", 9), p.knobs(), "the last of a repeated knob wins");
    assertEquals("efsearch", p.knobKey(0));
    assertTrue(SearchParams.DEFAULT.knobs().isEmpty());
    assertTrue(SearchParams.builder().build() == SearchParams.DEFAULT);
    assertEquals(0.95, SearchParams.builder().set("target_recall", 0.95).build().targetRecall().getAsDouble());
    assertThrows(IllegalParameterException.class, () -> SearchParams.builder().set("ef", Double.NaN));
    assertThrows(IllegalParameterException.class, () -> SearchParams.builder().set("_", 3));
    assertThrows(IllegalParameterException.class, () -> SearchParams.builder().targetRecall(0));
    assertThrows(IllegalParameterException.class, () -> SearchParams.builder().targetRecall(1.01));

    SearchKnobs knobs = new SearchKnobs("x", List.of(ParameterSpec.ofInt("ef", 10, 1, 100, "list", "ef_search")));
    assertEquals(40, knobs.intValue(SearchParams.builder().set("EF-search", 40).build(), "ef", 7));
    assertEquals(7, knobs.intValue(SearchParams.DEFAULT, "ef", 7));
    IllegalParameterException e = assertThrows(IllegalParameterException.class,
        () -> knobs.check(SearchParams.builder().set("nprobe", 3).build()));
    assertTrue(e.getMessage().contains("'nprobe'") && e.getMessage().contains("ef [1, 100]"), e.getMessage());
    assertThrows(IllegalParameterException.class, () -> knobs.check(SearchParams.builder().set("ef", 0).build()));
    assertThrows(IllegalParameterException.class, () -> knobs.check(SearchParams.builder().set("ef", 101).build()));
    assertThrows(IllegalParameterException.class, () -> knobs.check(SearchParams.builder().set("ef", 2.5).build()));
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
