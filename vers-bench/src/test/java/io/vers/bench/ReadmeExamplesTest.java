package io.vers.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java block of the repository's README is a complete program: this test compiles each one
 * against the class path the tests run with (vers-api, the algorithm modules, vers-io) and runs its
 * {@code main}, so a snippet that no longer compiles or fails fails the build.
 */
class ReadmeExamplesTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

  @Test
  void everyJavaBlockCompilesAndRuns(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> classes = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    Matcher block = JAVA_BLOCK.matcher(readme);
    while (block.find()) {
      String code = block.group(1);
      Matcher name = CLASS_NAME.matcher(code);
      assertTrue(name.find(), "a README Java block without a public class:\n" + code);
      Path source = dir.resolve(name.group(1) + ".java");
      Files.writeString(source, code);
      classes.add(name.group(1));
      sources.add(source.toString());
    }
    assertTrue(classes.size() >= 3, "README Java blocks found: " + classes);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path"),
        "-Xlint:none"));
    args.addAll(sources);
    int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
    assertEquals(0, status, "README examples do not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8));

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      for (String name : classes) {
        Method main = loader.loadClass(name).getMethod("main", String[].class);
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
          main.invoke(null, (Object) new String[0]);
        } finally {
          System.setOut(out);
        }
        assertTrue(printed.size() > 0, name + " printed nothing");
      }
    }
  }
}
