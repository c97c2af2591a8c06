package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.data.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vers build}, then {@code search} on the saved file, then {@code info}. */
class PersistenceCommandsTest {
  @TempDir Path dir;

  @Test
  void buildThenSearchThenInfo() throws Exception {
    float[][] vectors = TestFiles.grid(40, 4);
    Path input = TestFiles.fvecs(dir.resolve("base.fvecs"), vectors);
    Path index = dir.resolve("grid.vers");
    Cli built = Cli.run("build", "--algorithm", "flat", "--input", input.toString(), "--output", index.toString(),
        "--metric", "l2", "--no-progress");
    assertEquals(0, built.exit(), built.err());
    assertTrue(built.out().contains("built flat over 40 vectors of dimension 4 (l2)"), built.out());
    assertTrue(Files.size(index) > 40 * 4 * 4);

    Path queries = TestFiles.fvecs(dir.resolve("q.fvecs"), new float[][] {vectors[7], vectors[31]});
    Cli found = Cli.run("search", "--index", index.toString(), "--query", queries.toString(), "--k", "3",
        "--no-progress");
    assertEquals(0, found.exit(), found.err());
    List<String> lines = found.out().lines().toList();
    assertEquals("query\trank\tid\tdistance", lines.get(0));
    assertEquals(1 + 2 * 3, lines.size(), found.out());
    assertTrue(lines.get(1).startsWith("0\t1\t7\t0"), lines.get(1));
    assertTrue(lines.get(4).startsWith("1\t1\t31\t0"), lines.get(4));

    Cli info = Cli.run("info", index.toString());
    assertEquals(0, info.exit(), info.err());
    assertTrue(info.out().contains("algorithm   flat"), info.out());
    assertTrue(info.out().contains("dimension   4"), info.out());
    assertTrue(info.out().contains("metric      l2"), info.out());
    assertTrue(info.out().contains("size        40 vectors"), info.out());
    assertTrue(info.out().contains("format      vers index file, format version "), info.out());
  }

  @Test
  void ioTimesSavesAndLoadsAndLeavesNoFile() throws Exception {
    Path work = Files.createDirectory(dir.resolve("work"));
    Cli built = Cli.run("io", "--algorithm", "hnsw", "--size", "3000", "--dimension", "16", "--param", "m=8",
        "--rounds", "2", "--dir", work.toString(), "--no-progress");
    assertEquals(0, built.exit(), built.err());
    assertTrue(built.out().contains("built hnsw over 3,000 synthetic vectors of dimension 16"), built.out());
    for (String line : List.of("encode", "save 1", "save 2", "load 1", "load 2", "median save", "at most")) {
      assertTrue(built.out().contains(line), line + " in\n" + built.out());
    }
    assertEquals(List.of(), Files.list(work).toList(), "the measured file is removed");

    Path input = TestFiles.fvecs(dir.resolve("base.fvecs"), TestFiles.grid(40, 4));
    Path index = dir.resolve("grid.vers");
    assertEquals(0, Cli.run("build", "--algorithm", "flat", "--input", input.toString(), "--output", index.toString(),
        "--no-progress").exit());
    byte[] before = Files.readAllBytes(index);
    Cli given = Cli.run("io", "--index", index.toString(), "--rounds", "1", "--dir", work.toString());
    assertEquals(0, given.exit(), given.err());
    assertTrue(given.out().contains("file " + String.format(Locale.ROOT, "%,d", before.length) + " bytes"), given.out());
    assertArrayEquals(before, Files.readAllBytes(index), "the measured index file is left as it was");

    assertEquals(2, Cli.run("io").exit(), "--index or --algorithm is required");
    assertEquals(2, Cli.run("io", "--index", index.toString(), "--algorithm", "flat").exit(), "not both");
    Cli rounds = Cli.run("io", "--index", index.toString(), "--rounds", "0");
    assertEquals("vers io: --rounds must be at least 1, got 0", rounds.errorLine());
  }

  @Test
  void corruptIndexIsOneLine() throws Exception {
    Path junk = TestFiles.text(dir.resolve("junk.vers"), "not an index");
    Cli info = Cli.run("info", junk.toString());
    assertEquals(1, info.exit());
    assertTrue(info.errorLine().startsWith("vers info: "), info.err());
    Cli search = Cli.run("search", "--index", junk.toString(), "--query", junk.toString(), "--no-progress");
    assertEquals(1, search.exit());
    assertTrue(search.errorLine().startsWith("vers search: "), search.err());
  }

  @Test
  void infoOfAMissingFileIsOneLine() {
    Path absent = dir.resolve("absent.vers");
    Cli info = Cli.run("info", absent.toString());
    assertEquals(1, info.exit());
    assertEquals("vers info: no such file: " + absent, info.errorLine());
  }
}
