package io.vers.bench.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

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

  /** picocli hook for command lines that cannot be parsed. */
  public static int handleParameterException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String message = oneLine(e.getMessage());
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
