package io.vers.bench.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a modular application ({@code src/test/modular-app}: {@code requires io.vers.api; requires
 * io.vers.io;}) with the packaged vers jars on the module path: the library jars are named modules with
 * descriptors, the algorithms are found through {@code ServiceLoader} (their {@code provides} clauses),
 * and each one builds, searches, saves and loads.
 * An integration test because it needs the jars, which exist only after {@code package}.
 */
class ModulePathIT {
  private static final List<String> MODULE_JARS = List.of("vers-api-", "vers-hnsw-", "vers-ivfflat-", "vers-lsh-",
      "vers-io-", "guava-", "failureaccess-", "hppc-", "kryo-", "objenesis-", "minlog-", "reflectasm-");

  @TempDir
  Path work;

  @Test
  void aModularApplicationFindsEveryAlgorithmThroughServiceLoader() throws Exception {
    List<String> jars = modulePath();
    String modulePath = String.join(File.pathSeparator, jars);
    Path sources = Path.of("src", "test", "modular-app");
    Path classes = work.resolve("app");
    List<String> javac = new ArrayList<>(List.of("--module-path", modulePath, "-d", classes.toString()));
    try (Stream<Path> files = Files.walk(sources)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
    }
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, javac.toArray(new String[0]));
    assertEquals(0, compiled, "the modular application compiles against the vers jars");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dkryo.unsafe=false",
        "--module-path", classes + File.pathSeparator + modulePath, "-m", "io.vers.example/io.vers.example.Main")
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    List<String> lines = Arrays.stream(output.split("\n")).map(String::strip).collect(Collectors.toList());
    assertTrue(lines.contains("api-module io.vers.api explicit"), output);
    assertTrue(lines.contains("algorithms flat,hnsw,ivfflat,lsh"), output);
    for (String[] algorithm : new String[][] {{"flat", "io.vers.api"}, {"hnsw", "io.vers.hnsw"},
        {"ivfflat", "io.vers.ivfflat"}, {"lsh", "io.vers.lsh"}}) {
      String expected = "index " + algorithm[0] + " " + algorithm[1] + " explicit nearest 17 reloaded-equal true";
      assertTrue(lines.contains(expected), "expected '" + expected + "' in:\n" + output);
    }
  }

  /** The packaged vers jars and their runtime dependencies, from this test's class path. */
  private static List<String> modulePath() throws IOException {
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith("-tests.jar")) {
        continue; // a test kit on this test's class path, not a library module
      }
      if (MODULE_JARS.stream().anyMatch(name::startsWith)) {
        assertTrue(name.endsWith(".jar") && !name.contains("-tests"),
            entry + " is not a packaged jar: run this test with `mvn verify`");
        jars.add(entry);
      }
    }
    assertEquals(MODULE_JARS.size(), jars.size(), "jars found: " + jars);
    return jars;
  }
}
