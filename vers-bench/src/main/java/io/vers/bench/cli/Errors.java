package io.vers.bench.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns failures into one line on standard error: {@code vers COMMAND: what went wrong}. The stack trace
 * follows only with {@code --verbose}. Exit status 1 for failures, 2 for usage errors.
 */
public final class Errors {
  /** Exit status of a failed command. */
  public static final int FAILURE = 1;

  /** Exit status of a command line that could not be parsed. */
  public static final int USAGE = 2;

  private Errors() {}

  /** picocli hook for exceptions thrown by a command. */
  public static int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
    PrintWriter err = command.getErr();
    err.println(prefix(command) + describe(e));
    if (verbose(parsed)) {
      e.printStackTrace(err);
    } else if (unexpected(e)) {
      err.println("(this looks like a bug; run again with --verbose for the stack trace)");
    }
    err.flush();
    return FAILURE;
  }

  /**
   * picocli hook for command lines that cannot be parsed. Unknown options are reported first, even when
   * picocli stopped at something else (a missing required option is usually the consequence of a typo in
   * its name), with the options they may have been meant as.
   */
  public static int handleParameterException(ParameterException e, String[] args) {
    ParameterException reported = unknownOptionsFirst(e);
    CommandLine command = reported.getCommandLine();
    PrintWriter err = command.getErr();
    String message = reported instanceof UnmatchedArgumentException unmatched
        ? describeUnmatched(unmatched)
        : oneLine(reported.getMessage());
    err.println(prefix(command) + message + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    for (String arg : args) {
      if (arg.equals("--verbose")) {
        e.printStackTrace(err);
        break;
      }
    }
    err.flush();
    return USAGE;
  }

  /**
   * {@code e}, or, when arguments were left unmatched on the way to it (in the command that failed or a
   * parent), an {@link UnmatchedArgumentException} for those.
   */
  static ParameterException unknownOptionsFirst(ParameterException e) {
    if (e instanceof UnmatchedArgumentException) {
      return e;
    }
    for (CommandLine c = e.getCommandLine(); c != null; c = c.getParent()) {
      List<String> unmatched = c.getUnmatchedArguments();
      if (!unmatched.isEmpty()) {
        return new UnmatchedArgumentException(c, unmatched);
      }
    }
    return e;
  }

  /**
   * "Unknown option: '--algoritm'; did you mean --algorithm?": the unmatched arguments that look like
   * options (not the values that followed them), and picocli's closest options; "unknown command" with
   * the list of commands for a word where a command is expected; picocli's own message otherwise.
   */
  static String describeUnmatched(UnmatchedArgumentException e) {
    List<String> commands = e.getCommandLine().getSubcommands().values().stream()
        .filter(c -> !c.getCommandSpec().usageMessage().hidden())
        .map(CommandLine::getCommandName).filter(n -> !n.equals("help")).distinct().toList();
    List<String> unmatched = e.getUnmatched();
    if (!commands.isEmpty() && !unmatched.isEmpty() && !looksLikeOption(unmatched.get(0))) {
      // a word where a command is expected: name the commands, whatever options follow it
      return "unknown command '" + unmatched.get(0) + "'; the commands are " + String.join(", ", commands);
    }
    List<String> options = new ArrayList<>();
    for (String arg : unmatched) {
      if (looksLikeOption(arg)) {
        options.add("'" + arg + "'");
      }
    }
    if (options.isEmpty()) {
      return oneLine(e.getMessage());
    }
    StringBuilder b = new StringBuilder("Unknown option").append(options.size() == 1 ? "" : "s").append(": ")
        .append(String.join(", ", options));
    List<String> suggestions = e.getSuggestions();
    if (!suggestions.isEmpty()) {
      b.append("; did you mean ")
          .append(String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))).append('?');
    }
    return b.toString();
  }

  private static boolean looksLikeOption(String arg) {
    if (arg.length() < 2 || arg.charAt(0) != '-') {
      return false;
    }
    try {
      Double.parseDouble(arg);
      return false; // a negative number
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** One line describing {@code e} for a user. */
  public static String describe(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "file already exists: " + f.getFile();
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory; give the JVM more heap, for example VERS_JAVA_OPTS=-Xmx16g ./vers ...";
    }
    if (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause());
    }
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName() + (e.getCause() != null ? ": " + describe(e.getCause()) : "");
    }
    if (unexpected(e)) {
      return e.getClass().getSimpleName() + ": " + oneLine(message);
    }
    return oneLine(message);
  }

  private static boolean unexpected(Throwable e) {
    return !(e instanceof java.io.IOException || e instanceof IllegalArgumentException
        || e instanceof UnsupportedOperationException || e instanceof IllegalStateException
        || e instanceof OutOfMemoryError || e instanceof java.io.UncheckedIOException);
  }

  private static String oneLine(String message) {
    return message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
