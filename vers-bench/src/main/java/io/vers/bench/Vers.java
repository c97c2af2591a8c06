package io.vers.bench;

import io.vers.bench.cli.AlgorithmsCommand;
import io.vers.bench.cli.BenchCommand;
import io.vers.bench.cli.BuildCommand;
import io.vers.bench.cli.Errors;
import io.vers.bench.cli.GlobalOptions;
import io.vers.bench.cli.InfoCommand;
import io.vers.bench.cli.IoCommand;
import io.vers.bench.cli.NeighboursCommand;
import io.vers.bench.cli.ScaleCommand;
import io.vers.bench.cli.SearchCommand;
import io.vers.bench.cli.SoakCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code vers} command line: benchmarks (against peers too), building, searching and describing
 * saved indexes, timing saves and loads, listing algorithms, the word-vector neighbours demo, and a soak test.
 * Errors print one line on standard error and exit with 1 (2 for a usage error); {@code --verbose}
 * adds the stack trace.
 */
@Command(
    name = "vers",
    mixinStandardHelpOptions = true,
    versionProvider = Vers.Version.class,
    description = "Embeddable in-memory vector search for the JVM: benchmarks and tools.",
    subcommands = {
      BenchCommand.class,
      BuildCommand.class,
      SearchCommand.class,
      InfoCommand.class,
      IoCommand.class,
      AlgorithmsCommand.class,
      NeighboursCommand.class,
      ScaleCommand.class,
      SoakCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Run 'vers COMMAND --help' for a command's options. Without a command, vers prints this help.",
      "The ./vers script also runs the JMH microbenchmarks: './vers jmh -h' lists their options."})
public final class Vers implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Spec CommandSpec spec;

  /** Whether {@code err} is the process's standard error and that is a terminal: progress bars then. */
  private final boolean errorsOnTerminal;

  private Vers(boolean errorsOnTerminal) {
    this.errorsOnTerminal = errorsOnTerminal;
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), Terminal.stderr(),
        args));
  }

  /**
   * Runs the command line with the given streams and returns the exit status (for tests and embedding).
   * {@code err} is taken for a file or a pipe: progress is reported in plain lines.
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    return execute(out, err, false, args);
  }

  private static int execute(PrintWriter out, PrintWriter err, boolean errorsOnTerminal, String... args) {
    try {
      return commandLine(out, err, errorsOnTerminal).execute(args);
    } catch (OutOfMemoryError e) {
      err.println("vers: " + Errors.describe(e));
      err.flush();
      return Errors.FAILURE;
    }
  }

  /** The configured command line. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, false);
  }

  private static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean errorsOnTerminal) {
    CommandLine cli = new CommandLine(new Vers(errorsOnTerminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(Errors::handleExecutionException);
    cli.setParameterExceptionHandler(Errors::handleParameterException);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  /** The options given before the command name. */
  public GlobalOptions globalOptions() {
    return global;
  }

  /** Whether errors (and progress) go to the process's standard error, and that is a terminal. */
  public boolean errorsOnTerminal() {
    return errorsOnTerminal;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The project version the build wrote into {@code version.properties}, or the jar manifest's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Vers.class.getPackage().getImplementationVersion();
      try (InputStream in = Vers.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          Properties p = new Properties();
          p.load(in);
          String built = p.getProperty("version");
          version = built != null && !built.startsWith("${") ? built : version; // "${...}": built unfiltered
        }
      } catch (IOException e) {
        // keep the manifest's version, if any
      }
      return new String[] {"vers " + (version != null ? version : "(unknown version)"),
          "JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")};
    }
  }
}
