package io.vers.bench.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h} and {@code --help} for a command: print its usage on standard output and exit with status 0,
 * whatever else the command line holds (required options may then be missing).
 */
public final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this command's usage and exit.")
  boolean help;
}
