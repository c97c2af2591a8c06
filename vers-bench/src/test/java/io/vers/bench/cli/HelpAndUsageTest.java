package io.vers.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.bench.Vers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --help} and {@code -h} on every command, and how usage errors are reported. */
class HelpAndUsageTest {
  /** Every subcommand name and alias the command line knows. */
  private static Set<String> commands() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return Vers.commandLine(sink, sink).getSubcommands().keySet();
  }

  @Test
  void everyCommandIsListed() {
    assertTrue(commands().containsAll(
        List.of("bench", "build", "search", "info", "io", "algorithms", "neighbours", "neighbors", "help")),
        commands().toString());
  }

  @Test
  void helpAndHOnEveryCommandPrintItsUsageOnStandardOutput() {
    for (String command : commands()) {
      for (String flag : List.of("--help", "-h")) {
        Cli r = Cli.run(command, flag);
        String what = "vers " + command + " " + flag;
        assertEquals(0, r.exit(), what + ": " + r.err());
        assertEquals("", r.err(), what);
        assertTrue(r.out().contains("Usage: vers "), what + ":\n" + r.out());
        assertTrue(r.out().contains("-h, --help"), what + ":\n" + r.out());
      }
    }
  }

  @Test
  void versionNamesTheProjectVersionAndTheJvm() {
    Cli r = Cli.run("-V");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().matches("(?s)vers \\d+\\.\\d+\\.\\d+\\S*\\RJVM: .*"), r.out());
  }

  @Test
  void helpNamesTheCommandsOwnOptions() {
    assertTrue(Cli.run("bench", "--help").out().contains("--target-recall"));
    assertTrue(Cli.run("bench", "-h").out().contains("--batch-threads"));
    assertTrue(Cli.run("search", "--help").out().contains("--threads"));
    assertTrue(Cli.run("build", "-h").out().contains("--algorithm=NAME"));
  }

  @Test
  void helpWinsOverMissingRequiredOptionsAndOtherOptions() {
    Cli r = Cli.run("build", "--input", "x.fvecs", "--help");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("Usage: vers build"), r.out());
  }

  @Test
  void aMistypedOptionIsNamedBeforeTheMissingRequiredOne() {
    Cli r = Cli.run("build", "--algoritm", "flat", "--input", "base.fvecs", "--output", "base.vers");
    assertEquals(2, r.exit());
    String line = r.errorLine();
    assertTrue(line.startsWith("vers build: Unknown option: '--algoritm'"), line);
    assertTrue(line.contains("did you mean --algorithm?"), line);
    assertFalse(line.contains("Missing"), line);
    assertFalse(line.contains("'flat'"), "the value after the typo is not an option: " + line);
    assertTrue(line.endsWith("(see 'vers build --help')"), line);

    Cli attached = Cli.run("search", "--indx=a.vers", "--query", "q.fvecs");
    assertEquals(2, attached.exit());
    assertTrue(attached.errorLine().contains("Unknown option: '--indx=a.vers'; did you mean --index?"),
        attached.err());
  }

  @Test
  void usageErrorsWithoutATypoAreUnchanged() {
    Cli missing = Cli.run("search", "--index", "a.vers");
    assertEquals(2, missing.exit());
    assertTrue(missing.errorLine().contains("Missing required option: '--query=FILE'"), missing.err());
    Cli unknown = Cli.run("info", "--bogus", "a.vers");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.errorLine().contains("Unknown option: '--bogus'"), unknown.err());
  }
}
