package io.vers.bench.cli;

import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.bench.harness.Contenders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Checks of a command's arguments made before any work: parameters, knobs and where output goes. Stateless. */
final class Checks {
  private Checks() {}

  /**
   * The build parameters {@code params} resolved against the algorithm's {@code ParameterSpec}s, as the
   * build will resolve them.
   *
   * @throws io.vers.api.UnknownAlgorithmException for an algorithm that is not on the class path
   * @throws io.vers.api.IllegalParameterException for an unknown parameter or a bad value
   */
  static IndexParams buildParameters(String algorithm, Map<String, ?> params) {
    IndexProvider provider = Contenders.provider(algorithm);
    return IndexParams.resolve(provider.name(), provider.parameters(), params);
  }

  /**
   * Checks that {@code file} can be created or replaced: it is not a directory and the directory it goes
   * in exists.
   *
   * @throws IllegalArgumentException naming the directory that is missing
   */
  static void outputFile(String option, Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (Files.isDirectory(absolute)) {
      throw new IllegalArgumentException(option + " " + file + " is a directory; give the name of a file");
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      directory(option + " " + file + ":", parent);
    }
  }

  /**
   * Checks that {@code dir} is an existing, writable directory.
   *
   * @throws IllegalArgumentException naming it (or the part of it that is a file) otherwise
   */
  static void directory(String what, Path dir) {
    if (Files.isDirectory(dir)) {
      if (!Files.isWritable(dir)) {
        throw new IllegalArgumentException(what + " the directory " + dir + " is not writable");
      }
      return;
    }
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(what + " " + dir + " is a file, not a directory");
    }
    throw new IllegalArgumentException(what + " the directory " + dir + " does not exist");
  }
}
