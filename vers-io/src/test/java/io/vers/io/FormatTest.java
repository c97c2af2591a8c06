package io.vers.io;

import static io.vers.api.testkit.SnapshotAssertions.assertSameState;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The format carries any snapshot bit for bit, whatever its algorithm, through files and streams. */
class FormatTest {

  @Property(tries = 150)
  void anySnapshotRoundTripsBitForBit(@ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int arrays)
      throws IOException {
    IndexSnapshot snapshot = randomSnapshot(new Random(seed), arrays, 3000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IndexIO.saveSnapshot(snapshot, out);
    byte[] bytes = out.toByteArray();
    assertSameState(snapshot, IndexIO.loadSnapshot(new ByteArrayInputStream(bytes)));

    IndexFileHeader header = IndexIO.readHeader(new ByteArrayInputStream(bytes));
    assertEquals(bytes.length, header.fileBytes());
    assertEquals(IndexFormat.VERSION, header.formatVersion());
    assertEquals(snapshot.algorithm(), header.algorithm());
    assertEquals(snapshot.stateVersion(), header.stateVersion());
    assertEquals(snapshot.dimension(), header.dimension());
    assertEquals(snapshot.metric(), header.metric());
    assertEquals(snapshot.size(), header.size());
    assertEquals(snapshot.parameters(), header.parameters());
    assertEquals(snapshot.scalars(), header.scalars());
    List<String> names = new ArrayList<>();
    header.arrays().forEach(a -> names.add(a.name()));
    assertEquals(List.copyOf(snapshot.arrays().keySet()), names);
  }

  @Property(tries = 20)
  void snapshotsReadBackInTurnFromOneStream(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int count)
      throws IOException {
    Random random = new Random(seed);
    List<IndexSnapshot> written = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      written.add(randomSnapshot(random, random.nextInt(4), 500));
      IndexIO.saveSnapshot(written.get(i), out);
    }
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    for (IndexSnapshot expected : written) {
      assertSameState(expected, IndexIO.loadSnapshot(in));
    }
    assertEquals(-1, in.read(), "everything was read, nothing more");
  }

  @Test
  void arraysLargerThanTheBuffersRoundTripThroughFilesAndStreams(@TempDir Path dir) throws IOException {
    Random random = new Random(5);
    float[] floats = new float[5_000_011];
    for (int i = 0; i < floats.length; i++) {
      floats[i] = Float.intBitsToFloat(random.nextInt());
    }
    long[] longs = random.longs(300_007).toArray();
    int[] ints = random.ints(1_000_003).toArray();
    byte[] bytes = new byte[2_500_001];
    random.nextBytes(bytes);
    IndexSnapshot snapshot = IndexSnapshot.builder("bulk", 3, 7, Metric.DOT, 11)
        .floats("f", floats).longs("l", longs).ints("i", ints).bytes("b", bytes).build();
    Path file = dir.resolve("bulk.vers");
    IndexIO.saveSnapshot(snapshot, file);
    assertEquals(Files.size(file), IndexIO.verify(file).fileBytes());
    assertSameState(snapshot, IndexIO.loadSnapshot(file));
    try (var in = Files.newInputStream(file)) {
      assertSameState(snapshot, IndexIO.loadSnapshot(in));
    }
  }

  static IndexSnapshot randomSnapshot(Random random, int arrays, int maxLength) {
    IndexSnapshot.Builder b = IndexSnapshot.builder(
        "alg" + random.nextInt(1000) + (random.nextBoolean() ? "-x.y_z" : ""),
        1 + random.nextInt(1000), 1 + random.nextInt(4096), Metric.values()[random.nextInt(3)],
        random.nextInt(1_000_000));
    for (int i = random.nextInt(6); i > 0; i--) {
      b.parameter(text(random, 1, 20) + i, random.nextBoolean() ? text(random, 0, 30) : random.nextDouble());
    }
    long[] edge = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE};
    for (int i = random.nextInt(6); i > 0; i--) {
      b.scalar(text(random, 1, 10) + i, random.nextBoolean() ? edge[random.nextInt(edge.length)] : random.nextLong());
    }
    for (int i = 0; i < arrays; i++) {
      int length = random.nextInt(4) == 0 ? 0 : random.nextInt(maxLength);
      String name = text(random, 1, 12) + "#" + i;
      switch (random.nextInt(4)) {
        case 0:
          b.ints(name, random.ints(length).toArray());
          break;
        case 1:
          b.longs(name, random.longs(length).toArray());
          break;
        case 2:
          float[] f = new float[length];
          for (int j = 0; j < length; j++) {
            f[j] = Float.intBitsToFloat(random.nextInt());
          }
          b.floats(name, f);
          break;
        default:
          byte[] bytes = new byte[length];
          random.nextBytes(bytes);
          b.bytes(name, bytes);
          break;
      }
    }
    return b.build();
  }

  /** Random text including non-ASCII characters and characters outside the BMP. */
  private static String text(Random random, int min, int max) {
    String alphabet = "abcXYZ_-. 09éß中€";
    StringBuilder sb = new StringBuilder();
    for (int i = min + random.nextInt(max - min + 1); i > 0; i--) {
      sb.append(random.nextInt(10) == 0 ? "\uD83D\uDE00" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
    }
    return sb.toString();
  }
}
