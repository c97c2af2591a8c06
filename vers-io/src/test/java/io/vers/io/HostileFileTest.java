package io.vers.io;

import static io.vers.io.CorruptionTest.corrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vers.api.CorruptIndexException;
import io.vers.api.Index;
import io.vers.api.IndexParams;
import io.vers.api.IndexProvider;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.api.ParameterSpec;
import io.vers.spi.Messages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files crafted with valid checksums but hostile contents: absurd lengths and counts, classes vers
 * does not register, inconsistent state. Each is refused with a {@link CorruptIndexException} before
 * any large allocation.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileFileTest {
  @TempDir Path dir;

  private CorruptIndexException refused(byte[] file, String what) throws IOException {
    Path path = dir.resolve("hostile.vers");
    Files.write(path, file);
    CorruptIndexException e = corrupt(() -> IndexIO.load(path), what);
    corrupt(() -> IndexIO.load(new ByteArrayInputStream(file)), what + ", from a stream");
    return e;
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void aHugeArrayLengthIsRefusedBeforeAllocating() throws IOException {
    byte[] body = new TestFiles.Body().start("flat", 1, "L2", 1).varInt(2)
        .array("ids", ArrayKind.LONG, HeaderCodec.MAX_ARRAY_LENGTH).array("vectors", ArrayKind.FLOAT, 1).bytes();
    byte[] file = TestFiles.forge(1, body, new byte[64]);
    Path path = dir.resolve("huge.vers");
    Files.write(path, file);
    CorruptIndexException e = corrupt(() -> IndexIO.load(path), "16 GiB declared in a small file");
    assertMentions(e, "truncated", "describes " + (17179869112L + 4 + file.length - 64 - 8 + 8));
  }

  @Test
  void aSparseFileAsLongAsItsHeaderSaysIsRefusedBeforeAllocatingIfTheHeapCannotHoldIt() throws IOException {
    byte[] body = new TestFiles.Body().start("flat", 1, "L2", 1).varInt(2)
        .array("ids", ArrayKind.LONG, HeaderCodec.MAX_ARRAY_LENGTH).array("vectors", ArrayKind.FLOAT, 1).bytes();
    byte[] file = TestFiles.forge(1, body, new byte[0]);
    long arrays = 8L * HeaderCodec.MAX_ARRAY_LENGTH + 4;
    Assumptions.assumeTrue(arrays > Runtime.getRuntime().maxMemory(), "a heap below 16 GiB");
    Path path = dir.resolve("sparse.vers");
    Files.write(path, file);
    try (RandomAccessFile sparse = new RandomAccessFile(path.toFile(), "rw")) {
      sparse.setLength(file.length + arrays); // holes: the file takes a few blocks on disk
    }
    IndexTooLargeForHeapException e = assertThrows(IndexTooLargeForHeapException.class, () -> IndexIO.load(path));
    assertEquals(arrays, e.bytesNeeded());
    assertMentions(e, path.toString(), "-Xmx");
    assertThrows(IndexTooLargeForHeapException.class, () -> IndexIO.loadSnapshot(path));
  }

  @Test
  void aHugeArrayLengthInAStreamAllocatesOnlyAsBytesArrive() {
    byte[] body = new TestFiles.Body().start("flat", 1, "L2", 1).varInt(1)
        .array("ids", ArrayKind.LONG, HeaderCodec.MAX_ARRAY_LENGTH).bytes();
    byte[] file = TestFiles.forge(1, body, new byte[3 << 20]);
    CorruptIndexException e = corrupt(() -> IndexIO.load(new ByteArrayInputStream(file)), "16 GiB declared in 3 MiB");
    assertMentions(e, "truncated", "array 'ids'");
  }

  @Test
  void headerLengthsOutsideTheLimitAreRefused() throws IOException {
    for (int length : new int[] {0, -1, IndexFormat.MAX_HEADER_BYTES + 1, Integer.MAX_VALUE}) {
      byte[] file = TestFiles.forge(1, new byte[8], new byte[0]);
      TestFiles.putInt(file, 12, length);
      assertMentions(refused(file, "header length " + length), "header length");
    }
  }

  @Test
  void absurdCountsAndStringLengthsAreRefused() throws IOException {
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().varInt(Integer.MAX_VALUE).bytes(), new byte[0]),
        "algorithm name length"), "algorithm name is 2147483647 bytes long");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().string("flat").varInt(1).varInt(3)
        .string("L2").varInt(0).varInt(200).bytes(), new byte[0]), "200 parameters"),
        "declares 200 parameters");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().string("flat").varInt(1).varInt(3)
        .string("L2").varInt(0).varInt(100_000).bytes(), new byte[0]), "100000 parameters"),
        "number of parameters 100000");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().string("flat").varInt(1).varInt(3)
        .string("L2").varInt(0).varInt(1).string("m").varInt(5000).bytes(), new byte[0]), "long value"),
        "value of parameter 'm' is 5000 bytes");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).varInt(5000).bytes(),
        new byte[0]), "5000 arrays"), "number of arrays 5000");
  }

  @Test
  void onlyTheRegisteredArrayTypesMayBeNamed() throws IOException {
    TestFiles.Body byName = new TestFiles.Body().start("flat", 3, "L2", 0).varInt(1).string("ids")
        .varInt(1).varInt(0).string("java.lang.ProcessBuilder").varInt(0);
    assertMentions(refused(TestFiles.forge(1, byName.bytes(), new byte[0]), "class by name"),
        "array 'ids'", "names a class by name");

    TestFiles.Body unregistered = new TestFiles.Body().start("flat", 3, "L2", 0).varInt(1).string("ids")
        .varInt(99 + 2).varInt(0);
    assertMentions(refused(TestFiles.forge(1, unregistered.bytes(), new byte[0]), "unregistered id"),
        "unregistered class ID: 99");

    TestFiles.Body string = new TestFiles.Body().start("flat", 3, "L2", 0).varInt(1).string("ids");
    VersKryo.create().writeClass(string.out, String.class);
    string.varInt(0);
    assertMentions(refused(TestFiles.forge(1, string.bytes(), new byte[0]), "a Kryo built-in class"),
        "java.lang.String", "only int[], long[], float[] and byte[]");

    TestFiles.Body none = new TestFiles.Body().start("flat", 3, "L2", 0).varInt(1).string("ids").varInt(0).varInt(0);
    assertMentions(refused(TestFiles.forge(1, none.bytes(), new byte[0]), "null class"), "no element type");
  }

  @Test
  void stringsFromTheFileReachMessagesEscaped() throws IOException {
    String forged = "flat\nINFO all good \u001b[31m\u202e'";
    CorruptIndexException e = refused(TestFiles.forge(1, new TestFiles.Body().start(forged, 3, "L2", 0).varInt(0)
        .bytes(), new byte[0]), "control characters in the algorithm name");
    assertMentions(e, "'flat\\nINFO all good \\u001b[31m\\u202e\\''");
    CorruptIndexException metric = refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2\r\n", 0)
        .varInt(0).bytes(), new byte[0]), "control characters in the metric");
    assertMentions(metric, "'L2\\r\\n'");
    for (CorruptIndexException x : List.of(e, metric)) {
      assertTrue(x.getMessage().chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x202e), x.getMessage());
    }
    assertEquals("'" + "x".repeat(80) + "'...", Messages.quote("x".repeat(200)));
  }

  @Test
  void malformedFieldsAreRefused() throws IOException {
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "HAMMING", 0).varInt(0).bytes(),
        new byte[0]), "unknown metric"), "metric 'HAMMING'");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 0, "L2", 0).varInt(0).bytes(),
        new byte[0]), "dimension 0"), "dimension 0 is outside");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("../flat", 3, "L2", 0).varInt(0).bytes(),
        new byte[0]), "path-like algorithm"), "not a valid provider name");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).varInt(1)
        .varInt(2).rawBytes((byte) 0xC3, (byte) 0x28).varInt(16 + 2).varInt(0).bytes(), new byte[0]), "bad UTF-8"),
        "not valid UTF-8");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).varInt(2)
        .array("ids", ArrayKind.LONG, 0).array("ids", ArrayKind.LONG, 0).bytes(), new byte[0]), "duplicate array"),
        "array 'ids' appears twice");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).varInt(0).varInt(7)
        .bytes(), new byte[0]), "trailing header bytes"), "1 unexpected bytes at the end of the header");
    assertMentions(refused(TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).bytes(), new byte[0]),
        "header ends early"), "malformed header");
  }

  @Test
  void aWrongFooterMarkerIsRefused() throws IOException {
    byte[] file = TestFiles.forge(1, new TestFiles.Body().start("flat", 3, "L2", 0).varInt(0).bytes(), new byte[0]);
    file[file.length - 8] = 'X';
    assertMentions(refused(TestFiles.fixChecksums(file), "footer marker"), "footer marker");
  }

  @Test
  void inconsistentAlgorithmStateIsReportedAsCorrupt() throws IOException {
    IndexSnapshot inconsistent = IndexSnapshot.builder("flat", 1, 3, Metric.L2, 2)
        .longs("ids", new long[] {5, 5}).floats("vectors", new float[6]).build();
    Path path = dir.resolve("inconsistent.vers");
    IndexIO.saveSnapshot(inconsistent, path);
    CorruptIndexException e = corrupt(() -> IndexIO.load(path), "repeated id");
    assertMentions(e, path.toString(), "inconsistent 'flat' index", "repeats id 5");
  }

  @Test
  void aProviderFailingOnTheDataIsReportedAsCorrupt() {
    IndexSnapshot snapshot = IndexSnapshot.builder("fragile", 1, 3, Metric.L2, 0).build();
    CorruptIndexException e = corrupt(() -> IndexIO.restore(new FragileProvider(), snapshot, "f.vers"), "provider bug");
    assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
    assertMentions(e, "f.vers", "'fragile'");
  }

  @Test
  void snapshotsBeyondTheFormatsLimitsAreNotWritten() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> IndexIO.saveSnapshot(IndexSnapshot.builder("flat", 1, 3, Metric.L2, 0)
            .parameter("x".repeat(300), 1).build(), new java.io.ByteArrayOutputStream()));
    assertMentions(e, "parameter name", "300 bytes");
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> IndexIO.saveSnapshot(IndexSnapshot.builder("bad name", 1, 3, Metric.L2, 0).build(), dir.resolve("x")));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> IndexIO.saveSnapshot(IndexSnapshot.builder("flat", 0, 3, Metric.L2, 0).build(), dir.resolve("x")));
  }

  @Test
  void littleEndianLayoutIsAsDocumented() throws IOException {
    IndexSnapshot s = IndexSnapshot.builder("flat", 1, 1, Metric.L2, 1)
        .longs("ids", new long[] {0x0102030405060708L}).floats("vectors", new float[] {1.5f}).build();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    IndexIO.saveSnapshot(s, out);
    byte[] file = out.toByteArray();
    ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1, b.getInt(8));
    int payload = IndexFormat.PREFIX_BYTES + TestFiles.headerLength(file) + 4;
    assertEquals(0x0102030405060708L, b.getLong(payload));
    assertEquals(1.5f, b.getFloat(payload + 8));
    assertEquals('V', file[payload + 12]);
    assertEquals(TestFiles.crc(file, file.length - 4), b.getInt(file.length - 4));
    assertEquals(file.length, payload + 12 + IndexFormat.FOOTER_BYTES);
  }

  /** A provider with a bug that shows only on some data. */
  private static final class FragileProvider implements IndexProvider {
    @Override
    public String name() {
      return "fragile";
    }

    @Override
    public String description() {
      return "fails on restore";
    }

    @Override
    public List<ParameterSpec> parameters() {
      return List.of();
    }

    @Override
    public List<ParameterSpec> searchParameters() {
      return List.of();
    }

    @Override
    public Index create(int dimension, Metric metric, IndexParams params) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Index restore(IndexSnapshot snapshot) {
      throw new ArrayIndexOutOfBoundsException("ordinal " + (snapshot.size() + 1) + " outside [0, 0)");
    }
  }
}
