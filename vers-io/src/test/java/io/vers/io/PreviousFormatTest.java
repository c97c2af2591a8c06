package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.Index;
import io.vers.api.Metric;
import io.vers.api.SearchParams;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files saved by vers 0.1.0 ({@code src/test/resources/compat/0.1.0}, written by {@link CompatFiles}) still
 * load, hold the same vectors, answer the same queries with the same distances, and take writes.
 */
class PreviousFormatTest {
  @TempDir
  Path work;

  @Test
  void every010FileLoadsAndAnswersAsItDidWhenSaved() throws Exception {
    for (String algorithm : CompatFiles.ALGORITHMS) {
      for (Metric metric : CompatFiles.METRICS) {
        String name = CompatFiles.name(algorithm, metric);
        Index index;
        try (InputStream in = resource(name + ".vers")) {
          index = IndexIO.load(in);
        }
        assertEquals(algorithm, index.algorithm(), name);
        assertEquals(metric, index.metric(), name);
        assertEquals(CompatFiles.COUNT, index.size(), name);
        for (int i = 0; i < CompatFiles.COUNT; i += 97) {
          float[] expected = metric.storedForm(CompatFiles.vector(i));
          assertArrayEquals(expected, index.vector(CompatFiles.id(i)).orElseThrow(), name + " vector " + i);
        }
        List<String> answers;
        try (InputStream in = resource(name + ".answers")) {
          answers = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n"));
        }
        List<String> now = CompatFiles.answers(index);
        for (int q = 0; q < answers.size(); q++) {
          assertSameAnswer(answers.get(q), now.get(q), name + " query " + q);
        }
        Map<String, Object> parameters = index.parameters();
        if (parameters.containsKey("quantization")) {
          assertEquals("none", parameters.get("quantization"), name);
        }

        index.add(-5, CompatFiles.vector(3));
        Path copy = work.resolve(name + ".vers");
        IndexIO.save(index, copy);
        Index reloaded = IndexIO.load(copy);
        assertEquals(CompatFiles.COUNT + 1, reloaded.size(), name);
        assertEquals(index.search(CompatFiles.query(1), 5, SearchParams.DEFAULT),
            reloaded.search(CompatFiles.query(1), 5, SearchParams.DEFAULT), name + " after a write");
        Files.delete(copy);
      }
    }
  }

  /** Same ids in the same order, distances equal up to the last bits (kernels sum in different orders). */
  private static void assertSameAnswer(String saved, String now, String what) {
    String[] a = saved.split(" ");
    String[] b = now.split(" ");
    assertEquals(a.length, b.length, what);
    for (int i = 0; i < a.length; i++) {
      String[] x = a[i].split(":");
      String[] y = b[i].split(":");
      assertEquals(x[0], y[0], what + " id " + i);
      float dx = Float.intBitsToFloat(Integer.parseInt(x[1]));
      float dy = Float.intBitsToFloat(Integer.parseInt(y[1]));
      assertEquals(dx, dy, 1e-5f * Math.max(1f, Math.abs(dx)), what + " distance " + i);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = PreviousFormatTest.class.getResourceAsStream("/compat/0.1.0/" + name);
    if (in == null) {
      throw new IllegalStateException("missing test resource compat/0.1.0/" + name);
    }
    return in;
  }
}
