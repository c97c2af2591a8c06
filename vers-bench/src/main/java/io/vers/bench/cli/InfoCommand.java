package io.vers.bench.cli;

import io.vers.io.IndexFileHeader;
import io.vers.io.IndexIO;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vers info}: describes a saved index. */
@Command(name = "info", description = "Describes a saved index: algorithm, dimension, metric, size, parameters and"
    + " file format version.")
public final class InfoCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin HelpOption help;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "INDEX", description = "An index saved by 'vers build'.")
  Path index;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(index)) {
      throw new NoSuchFileException(index.toString());
    }
    IndexFileHeader header = IndexIO.readHeader(index);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "file        %s (%,d bytes)%n", index, Files.size(index));
    out.printf(Locale.ROOT, "format      vers index file, format version %d (%s state version %d)%n",
        header.formatVersion(), header.algorithm(), header.stateVersion());
    out.printf(Locale.ROOT, "algorithm   %s%n", header.algorithm());
    out.printf(Locale.ROOT, "dimension   %d%n", header.dimension());
    out.printf(Locale.ROOT, "metric      %s%n", header.metric().name().toLowerCase(Locale.ROOT));
    out.printf(Locale.ROOT, "size        %,d vectors%n", header.size());
    out.printf(Locale.ROOT, "parameters  %s%n", describe(header.parameters()));
    out.flush();
    return 0;
  }

  /** {@code name=value, ...}, or {@code (none)}. */
  static String describe(Map<String, ?> parameters) {
    return parameters.isEmpty() ? "(none)" : parameters.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
  }
}
