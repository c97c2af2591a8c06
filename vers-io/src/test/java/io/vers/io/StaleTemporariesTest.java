package io.vers.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.Index;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save killed half way leaves its temporary file; the next save of the same target deletes it, and
 * only it: not a temporary file another process still holds, nor one of another target, nor one just
 * created.
 */
class StaleTemporariesTest {
  @TempDir Path dir;

  @Test
  void theNextSaveDeletesWhatAKilledSaveLeftAndNothingElse() throws Exception {
    Path target = dir.resolve("index.vers");
    Path killedLeftover = killASaveHalfWay(target);
    Path held = dir.resolve(".index.vers.abc123.tmp");
    Path otherTarget = dir.resolve(".other.vers.abc123.tmp");
    Path fresh = dir.resolve(".index.vers.def456.tmp");
    Files.write(held, new byte[100]);
    Files.write(otherTarget, new byte[100]);
    Files.write(fresh, new byte[100]);
    for (Path old : List.of(killedLeftover, held, otherTarget)) {
      Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    }
    Process holder = child("hold", held);
    try {
      assertEquals("locked", new String(holder.getInputStream().readNBytes(6)), "the holding process locked it");
      Index index = TestFiles.smallFlat(100, 8, 3);
      IndexIO.save(index, target);
      assertFalse(Files.exists(killedLeftover), "the killed save's file is deleted");
      assertTrue(Files.exists(held), "a file another live process holds stays");
      assertTrue(Files.exists(otherTarget), "another target's file stays");
      assertTrue(Files.exists(fresh), "a file written just now stays");
      assertEquals(100, IndexIO.load(target).size());
    } finally {
      holder.destroyForcibly().waitFor();
    }
    IndexIO.save(TestFiles.smallFlat(10, 8, 4), target);
    assertFalse(Files.exists(held), "once its process is gone, the held file is a leftover too");
    assertEquals(List.of(".index.vers.def456.tmp", ".other.vers.abc123.tmp", "index.vers"), names());
  }

  /** Starts a child that saves a large index to {@code target} over and over and kills it mid-save. */
  private Path killASaveHalfWay(Path target) throws Exception {
    for (int attempt = 0; attempt < 5; attempt++) {
      Process saver = child("save", target);
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
          List<Path> temps = temporaries();
          if (!temps.isEmpty() && Files.size(temps.get(0)) > 1_000_000) {
            saver.destroyForcibly().waitFor(); // SIGKILL: no cleanup code runs
            List<Path> left = temporaries();
            if (!left.isEmpty()) {
              return left.get(0);
            }
            break; // it finished that save just before the kill: try again
          }
          Thread.sleep(5);
        }
      } finally {
        saver.destroyForcibly().waitFor();
      }
    }
    throw new AssertionError("no save could be killed half way in 5 attempts");
  }

  private List<Path> temporaries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().matches("\\.index\\.vers\\.[0-9a-f]+\\.tmp"))
          .filter(p -> !p.getFileName().toString().equals(".index.vers.abc123.tmp"))
          .collect(Collectors.toList());
    }
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static Process child(String mode, Path path) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Dkryo.unsafe=false", "-cp",
        System.getProperty("java.class.path"), Child.class.getName(), mode, path.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** {@code save PATH}: saves a 200,000 x 64 index to PATH forever; {@code hold PATH}: locks PATH and waits. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Path path = Path.of(args[1]);
      if (args[0].equals("hold")) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
          System.out.print("locked");
          System.out.flush();
          Thread.sleep(120_000);
        }
        return;
      }
      Index index = TestFiles.smallFlat(200_000, 64, 1);
      while (true) {
        IndexIO.save(index, path);
      }
    }
  }
}
