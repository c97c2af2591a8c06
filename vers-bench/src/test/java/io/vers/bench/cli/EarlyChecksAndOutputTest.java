package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.Vers;
import io.vers.bench.data.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Arguments checked before any work; progress on a standard error that is not a terminal; help text and
 * tables that read well.
 */
class EarlyChecksAndOutputTest {
  @TempDir Path dir;

  private static final List<String> QUICK_BENCH = List.of("--warmup", "0", "--passes", "1", "--no-progress");

  private static Cli bench(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("bench"));
    all.addAll(List.of(args));
    all.addAll(QUICK_BENCH);
    return Cli.run(all.toArray(new String[0]));
  }

  @Test
  void buildChecksItsParametersBeforeReadingTheInput() {
    Path absent = dir.resolve("absent.fvecs");
    Path output = dir.resolve("out.vers");
    for (String param : List.of("M=abc", "Mx=3", "M=0")) {
      Cli r = Cli.run("build", "--algorithm", "hnsw", "--input", absent.toString(), "--output", output.toString(),
          "--param", param);
      assertEquals(1, r.exit(), param);
      String line = r.errorLine();
      assertTrue(line.startsWith("vers build: "), line);
      assertTrue(line.contains("hnsw"), line);
      assertFalse(line.contains("absent.fvecs"), "the input was never opened: " + line);
      assertEquals("", r.out());
    }
    assertTrue(Cli.run("build", "--algorithm", "hnsw", "--input", absent.toString(), "--output", output.toString(),
        "--param", "Mx=3").errorLine().contains("unknown parameter 'Mx' for hnsw; accepted: m"));
    assertTrue(Cli.run("build", "--algorithm", "hnsw", "--input", absent.toString(), "--output", output.toString(),
        "--param", "M=0").errorLine().contains("must be in [2, 1024], got 0"));
  }

  @Test
  void buildNamesAMissingOutputDirectoryBeforeAnyWork() throws Exception {
    Path input = TestFiles.fvecs(dir.resolve("base.fvecs"), TestFiles.grid(10, 4));
    Path missing = dir.resolve("no-such-dir");
    Cli r = Cli.run("build", "--algorithm", "flat", "--input", input.toString(), "--output",
        missing.resolve("x.vers").toString());
    assertEquals(1, r.exit());
    assertEquals("vers build: --output " + missing.resolve("x.vers") + ": the directory " + missing
        + " does not exist", r.errorLine(), "no phase was started, so the error is the only line");
    Cli directory = Cli.run("build", "--algorithm", "flat", "--input", input.toString(), "--output", dir.toString());
    assertTrue(directory.errorLine().contains("is a directory"), directory.err());
  }

  @Test
  void benchChecksParametersKnobsAndOutputsBeforeReadingData() {
    String absent = dir.resolve("absent.fvecs").toString();
    Cli m = bench("--base", absent, "--queries", absent, "--algorithms", "hnsw", "--param", "hnsw.M=abc");
    assertEquals(1, m.exit());
    assertTrue(m.errorLine().startsWith("vers bench: hnsw: parameter m (given as 'M') of hnsw"), m.err());
    Cli knob = bench("--base", absent, "--queries", absent, "--algorithms", "ivfflat", "--param", "ivfflat.ef=64");
    assertEquals(1, knob.exit());
    String line = knob.errorLine();
    assertTrue(line.contains("ivfflat has no build parameter or search knob named 'ef'"), line);
    assertTrue(line.contains("search knobs: nprobe"), line);
    Cli range = bench("--base", absent, "--queries", absent, "--algorithms", "hnsw", "--param", "hnsw.ef=99999999");
    assertTrue(range.errorLine().contains("ef of hnsw must be in [1, 1048576]"), range.err());
    Cli json = bench("--base", absent, "--queries", absent, "--algorithms", "flat", "--json",
        dir.resolve("nowhere/r.json").toString());
    assertTrue(json.errorLine().contains("the directory " + dir.resolve("nowhere") + " does not exist"), json.err());
    for (Cli r : List.of(m, knob, range, json)) {
      assertFalse(r.err().contains("no such file"), "the data was never read: " + r.err());
    }
  }

  @Test
  void ioAndNeighboursCheckParametersFirst() {
    Cli io = Cli.run("io", "--algorithm", "hnsw", "--param", "m=abc", "--size", "100000000");
    assertEquals(1, io.exit());
    assertTrue(io.errorLine().contains("parameter m of hnsw must be a number"), io.err());
    Cli dirMissing = Cli.run("io", "--algorithm", "flat", "--dir", dir.resolve("gone").toString());
    assertTrue(dirMissing.errorLine().contains("the directory " + dir.resolve("gone") + " does not exist"),
        dirMissing.err());
    Cli words = Cli.run("neighbours", "--vectors", dir.resolve("absent.vec").toString(), "--word", "x",
        "--algorithm", "flat", "--param", "x=1");
    assertTrue(words.errorLine().contains("unknown parameter 'x' for flat"), words.err());
  }

  @Test
  void unknownAlgorithmsAreListedOnce() {
    String build = Cli.run("build", "--algorithm", "nope", "--input", "a.fvecs", "--output", "b.vers").errorLine();
    assertEquals("vers build: unknown index algorithm 'nope'; available: flat, hnsw, ivfflat, lsh", build);
    String line = bench("--dataset", "synthetic:100x4", "--algorithms", "nope").errorLine();
    assertEquals(line.indexOf("ivfflat"), line.lastIndexOf("ivfflat"), line);
  }

  @Test
  void progressOnANonTerminalIsPlainLinesWithoutCarriageReturns() throws Exception {
    Path input = TestFiles.fvecs(dir.resolve("base.fvecs"), TestFiles.grid(50, 4));
    Cli r = Cli.run("build", "--algorithm", "hnsw", "--input", input.toString(), "--output",
        dir.resolve("i.vers").toString());
    assertEquals(0, r.exit(), r.err());
    assertFalse(r.err().contains("\r"), r.err());
    List<String> lines = r.err().lines().toList();
    assertEquals(4, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("read base.fvecs (") && lines.get(0).endsWith(" ..."), r.err());
    assertTrue(lines.get(1).startsWith("read base.fvecs done: "), r.err());
    assertEquals("build hnsw (50) ...", lines.get(2));
    assertTrue(lines.get(3).matches("build hnsw done: 50 in [0-9.]+ s"), r.err());

    Cli quiet = Cli.run("build", "--algorithm", "flat", "--input", input.toString(), "--output",
        dir.resolve("j.vers").toString(), "--no-progress");
    assertEquals("", quiet.err());

    byte[] bytes = Files.readAllBytes(input);
    Path cut = TestFiles.write(dir.resolve("cut.fvecs"), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    Cli failed = Cli.run("build", "--algorithm", "flat", "--input", cut.toString(), "--output",
        dir.resolve("k.vers").toString());
    assertEquals(1, failed.exit());
    assertFalse(failed.err().contains("\r"), failed.err());
    List<String> failedLines = failed.err().lines().toList();
    assertEquals(2, failedLines.size(), "a start line, then the error on its own line: " + failed.err());
    assertTrue(failedLines.get(1).startsWith("vers build: ") && failedLines.get(1).contains("cut.fvecs"),
        failed.err());
  }

  @Test
  void aBarIsDrawnFullOnlyWhenItsWorkCompletedAndClearedWhenItFailed() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream stream = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    Progress bars = Progress.bars(stream);
    try (Progress.Task task = bars.start("work", 10)) {
      task.stepTo(3);
    }
    String failed = terminal.toString(StandardCharsets.UTF_8);
    assertFalse(failed.contains("100%"), "a failed phase is not drawn full: " + failed);
    assertFalse(failed.contains("\n"), failed);
    assertTrue(failed.endsWith("\r") && failed.substring(failed.lastIndexOf('\r', failed.length() - 2) + 1,
        failed.length() - 1).isBlank(), "the bar's line is blanked: " + failed);

    terminal.reset();
    try (Progress.Task task = bars.start("work", 10)) {
      task.stepTo(10);
      task.complete();
    }
    String done = terminal.toString(StandardCharsets.UTF_8);
    assertTrue(done.contains("100%") && done.endsWith("\n"), done);
  }

  @Test
  void helpSummariesAreWholeSentencesAndTextIsNotPreWrapped() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    CommandLine root = Vers.commandLine(sink, sink);
    for (CommandLine command : root.getSubcommands().values()) {
      CommandSpec spec = command.getCommandSpec();
      String[] description = spec.usageMessage().description();
      assertTrue(description.length > 0 && description[0].endsWith("."),
          spec.qualifiedName() + ": the summary in 'vers --help' is a whole sentence: " + description[0]);
      for (OptionSpec option : spec.options()) {
        assertEquals(1, option.description().length,
            spec.qualifiedName() + " " + option.longestName() + ": one paragraph, wrapped by picocli only");
      }
    }
    String help = Cli.run("--help").out();
    assertTrue(help.replaceAll("\\s+", " ").contains("measures recall@k against queries per second. build"), help);
    assertFalse(help.contains("one call per query,\n"), help);
    String search = Cli.run("search", "--help").out().replaceAll("\\s+", " ");
    assertTrue(search.contains("(the index picks its knob for that recall@k, calibrating itself first)"), search);
  }

  @Test
  void algorithmsKeepsColumnsAndPrintsWholeRangesReadably() {
    String out = Cli.run("algorithms").out();
    assertFalse(out.contains("9223372036854775807"), out);
    assertTrue(out.contains("range any long "), out);
    String keep = out.lines().filter(l -> l.trim().startsWith("keepPrunedConnections ")).findFirst().orElseThrow();
    String m = out.lines().filter(l -> l.trim().startsWith("m ")).findFirst().orElseThrow();
    assertEquals(m.indexOf(" int "), keep.indexOf(" boolean "), "the type column lines up:\n" + m + "\n" + keep);
    assertEquals(m.indexOf(" default "), keep.indexOf(" default "), "and so does the default column");
  }

  @Test
  void benchSummarySaysHeapAndExplainsDashesOnlyWhenThereAreSome() {
    Cli r = bench("--dataset", "synthetic:300x4", "--max-queries", "5", "--algorithms", "flat");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("heap MiB"), r.out());
    assertFalse(r.out().contains("(- :"), "flat reaches every target:\n" + r.out());
    Cli missed = bench("--dataset", "synthetic:300x4", "--max-queries", "5", "--algorithms", "flat",
        "--recall-targets", "1");
    assertEquals(0, missed.exit(), missed.err());
    assertFalse(missed.out().contains("(- :"), missed.out());
  }
}
