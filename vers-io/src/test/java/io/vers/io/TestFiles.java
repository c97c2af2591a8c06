package io.vers.io;

import com.esotericsoftware.kryo.io.Output;
import io.vers.api.Index;
import io.vers.api.Indexes;
import io.vers.api.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32C;

/** Builds index files for tests, including hand-made ones with valid checksums. */
final class TestFiles {
  private TestFiles() {}

  /** A small flat index: {@code n} random vectors of {@code dim} components under ids 0..n-1. */
  static Index smallFlat(int n, int dim, long seed) {
    Random random = new Random(seed);
    Index index = Indexes.create("flat", dim, Metric.L2);
    for (int i = 0; i < n; i++) {
      float[] v = new float[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = (float) random.nextGaussian();
      }
      index.add(i * 7L - 20, v);
    }
    return index;
  }

  static byte[] bytesOf(Index index) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IndexIO.save(index, out);
    return out.toByteArray();
  }

  /** The header body length of a well-framed file. */
  static int headerLength(byte[] file) {
    return IndexFormat.littleEndianInt(file, 12);
  }

  /** Recomputes both checksums of a file whose frame (prefix and header length) is intact. */
  static byte[] fixChecksums(byte[] file) {
    byte[] out = file.clone();
    int headerEnd = IndexFormat.PREFIX_BYTES + headerLength(out);
    putInt(out, headerEnd, crc(out, headerEnd));
    putInt(out, out.length - 4, crc(out, out.length - 4));
    return out;
  }

  /** A complete file around a hand-made header body and payload, with correct checksums. */
  static byte[] forge(int version, byte[] headerBody, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(IndexFormat.PREFIX_BYTES + headerBody.length + 4 + payload.length
        + IndexFormat.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(IndexFormat.MAGIC).putInt(version).putInt(headerBody.length).put(headerBody);
    b.putInt(crc(b.array(), b.position()));
    b.put(payload).put(IndexFormat.FOOTER_MAGIC);
    b.putInt(crc(b.array(), b.position()));
    return b.array();
  }

  static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, length);
    return (int) crc.getValue();
  }

  static void putInt(byte[] bytes, int offset, int value) {
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
  }

  /** Writes header body fields the way the format does, without any checks. */
  static final class Body {
    final Output out = new Output(256, -1);

    Body string(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeVarInt(bytes.length, true);
      out.writeBytes(bytes);
      return this;
    }

    Body rawBytes(byte... bytes) {
      out.writeBytes(bytes);
      return this;
    }

    Body varInt(int value) {
      out.writeVarInt(value, true);
      return this;
    }

    Body varLong(long value) {
      out.writeVarLong(value, false);
      return this;
    }

    /** Algorithm, state version, dimension, metric, size, then no parameters and no scalars. */
    Body start(String algorithm, int dimension, String metric, int size) {
      return string(algorithm).varInt(1).varInt(dimension).string(metric).varInt(size).varInt(0).varInt(0);
    }

    /** An array directory entry, with the class reference as Kryo writes it for {@code kind}. */
    Body array(String name, ArrayKind kind, int length) {
      string(name);
      VersKryo.create().writeClass(out, kind.type);
      return varInt(length);
    }

    byte[] bytes() {
      return out.toBytes();
    }
  }
}
