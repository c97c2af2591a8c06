package io.vers.bench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small data files in the formats the loaders read, independently of the loaders. */
public final class TestFiles {
  private TestFiles() {}

  public static Path fvecs(Path file, float[][] vectors) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (float[] v : vectors) {
      ByteBuffer b = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(v.length);
      for (float x : v) {
        b.putFloat(x);
      }
      out.write(b.array());
    }
    return write(file, out.toByteArray());
  }

  public static Path ivecs(Path file, int[][] rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] row : rows) {
      ByteBuffer b = ByteBuffer.allocate(4 + 4 * row.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(row.length);
      for (int x : row) {
        b.putInt(x);
      }
      out.write(b.array());
    }
    return write(file, out.toByteArray());
  }

  public static Path bvecs(Path file, int[][] rows) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int[] row : rows) {
      ByteBuffer b = ByteBuffer.allocate(4 + row.length).order(ByteOrder.LITTLE_ENDIAN);
      b.putInt(row.length);
      for (int x : row) {
        b.put((byte) x);
      }
      out.write(b.array());
    }
    return write(file, out.toByteArray());
  }

  /** An IDX file of unsigned bytes with the given shape (first dimension: count). */
  public static byte[] idxUbyte(int[] shape, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) shape.length);
    for (int s : shape) {
      b.putInt(s);
    }
    for (int v : values) {
      b.put((byte) v);
    }
    return b.array();
  }

  /** An IDX file of big-endian float32 with the given shape. */
  public static byte[] idxFloat(int[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + 4 * values.length).order(ByteOrder.BIG_ENDIAN);
    b.put((byte) 0).put((byte) 0).put((byte) 0x0D).put((byte) shape.length);
    for (int s : shape) {
      b.putInt(s);
    }
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  public static Path text(Path file, String content) throws IOException {
    return write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  public static Path write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    return file;
  }

  public static Path gzip(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(bytes);
    }
    return file;
  }

  /** {@code count} vectors of {@code dim} components with distinct, exactly representable values. */
  public static float[][] grid(int count, int dim) {
    float[][] out = new float[count][dim];
    for (int i = 0; i < count; i++) {
      for (int j = 0; j < dim; j++) {
        out[i][j] = i * 0.5f - j * 0.25f;
      }
    }
    return out;
  }
}
