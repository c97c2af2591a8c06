package io.vers.bench.data;

import io.vers.api.ProgressListener;
import io.vers.spi.Messages;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads word vectors in the text format of fastText ({@code .vec}) and GloVe: one word per line followed
 * by its components, separated by spaces or tabs, UTF-8. fastText files start with a header line
 * {@code "<count> <dimension>"}; GloVe files have none. Both are recognised: a first line of exactly two
 * integers is a header. Blank lines are skipped. Gzip-compressed files are read transparently.
 * Stateless; thread-safe.
 */
public final class WordVectorReader {
  private WordVectorReader() {}

  /** Reads at most {@code limit} words. */
  public static WordVectors read(Path file, int limit, ProgressListener progress) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      InputStream raw = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in;
      try {
        in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
      } catch (ZipException | EOFException e) {
        throw damagedGzip(file, 0, e);
      }
      return parse(file, in, limit, () -> progress.progress(channel.position(), channel.size()));
    }
  }

  private static WordVectors parse(Path file, InputStream in, int limit, IoAction progress) throws IOException {
    LineInput lines = new LineInput(file, in);
    List<String> words = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    int dimension = -1;
    long announced = -1;
    long headerOffset = 0;
    int[] tokens = new int[64];
    while (words.size() < limit && lines.next()) {
      byte[] b = lines.bytes();
      int length = lines.length();
      int count = tokenize(b, length, tokens);
      if (2 * count > tokens.length) {
        tokens = new int[4 * count];
        count = tokenize(b, length, tokens);
      }
      if (count == 0) {
        continue;
      }
      if (lines.number() == 1 && count == 2 && isInteger(b, tokens[0], tokens[1]) && isInteger(b, tokens[2], tokens[3])) {
        announced = parseLong(b, tokens[0], tokens[1]);
        dimension = (int) Math.min(Integer.MAX_VALUE, parseLong(b, tokens[2], tokens[3]));
        headerOffset = lines.offset();
        if (dimension < 1 || dimension > TexmexReader.MAX_DIMENSION) {
          throw new DataFormatException(file, 1, lines.offset(), "header announces dimension " + dimension
              + "; expected 1 to " + TexmexReader.MAX_DIMENSION);
        }
        continue;
      }
      String word = new String(b, tokens[0], tokens[1] - tokens[0], StandardCharsets.UTF_8);
      int components = count - 1;
      if (dimension < 0) {
        if (components < 1) {
          throw new DataFormatException(file, lines.number(), lines.offset(),
              "word " + Messages.quote(word) + " has no components; expected a word followed by its numbers");
        }
        dimension = components;
      } else if (components != dimension) {
        throw new DataFormatException(file, lines.number(), lines.offset(), "word " + Messages.quote(word) + " has "
            + components
            + " components but " + (announced >= 0 ? "the header announces " : "the first word has ") + dimension);
      }
      float[] vector = new float[dimension];
      for (int c = 0; c < dimension; c++) {
        int start = tokens[2 * (c + 1)];
        int end = tokens[2 * (c + 1) + 1];
        String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        float x;
        try {
          x = Float.parseFloat(text);
        } catch (NumberFormatException e) {
          throw new DataFormatException(file, lines.number(), lines.offset() + start,
              "component " + c + " of word " + Messages.quote(word) + " is " + Messages.quote(text)
                  + ", not a number");
        }
        if (!Float.isFinite(x)) {
          throw new DataFormatException(file, lines.number(), lines.offset() + start,
              "component " + c + " of word " + Messages.quote(word) + " is "
                  + Messages.quote(text) + "; every component must be a finite number");
        }
        vector[c] = x;
      }
      words.add(word);
      vectors.add(vector);
      if ((words.size() & 4095) == 0) {
        progress.run();
      }
    }
    if (announced >= 0 && words.size() < Math.min(limit, announced)) {
      throw new DataFormatException(file, lines.offset(), "the header (at offset " + headerOffset + ") announces "
          + announced + " words but the file ends after " + words.size() + "; the file is truncated");
    }
    if (words.isEmpty()) {
      throw new DataFormatException(file, lines.offset(), "no word vectors found; expected lines of a word"
          + " followed by its numbers (fastText .vec or GloVe text)");
    }
    progress.run();
    return new WordVectors(words, vectors.toArray(new float[0][]));
  }

  /** Damaged gzip data, as a {@link DataFormatException} naming the offset in the uncompressed text. */
  private static DataFormatException damagedGzip(Path file, long offset, IOException e) {
    DataFormatException damaged = new DataFormatException(file, offset, "the gzip compression is damaged or"
        + " truncated (" + (e instanceof EOFException ? "the compressed data ends early" : e.getMessage()) + ")");
    damaged.initCause(e);
    return damaged;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  /** Splits on spaces and tabs into [start, end) pairs; returns the number of tokens found (may exceed room). */
  private static int tokenize(byte[] b, int length, int[] out) {
    int count = 0;
    int i = 0;
    while (i < length) {
      while (i < length && (b[i] == ' ' || b[i] == '\t')) {
        i++;
      }
      if (i == length) {
        break;
      }
      int start = i;
      while (i < length && b[i] != ' ' && b[i] != '\t') {
        i++;
      }
      if (2 * count + 1 < out.length) {
        out[2 * count] = start;
        out[2 * count + 1] = i;
      }
      count++;
    }
    return count;
  }

  private static boolean isInteger(byte[] b, int start, int end) {
    if (end - start < 1 || end - start > 18) {
      return false;
    }
    for (int i = start; i < end; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static long parseLong(byte[] b, int start, int end) {
    long v = 0;
    for (int i = start; i < end; i++) {
      v = v * 10 + (b[i] - '0');
    }
    return v;
  }

  /** Lines of bytes with their 1-based number and byte offset; strips the line terminator. */
  private static final class LineInput {
    private final Path file;
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1 << 12];
    private int length;
    private long number;
    private long offset;
    private long nextOffset;

    LineInput(Path file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    boolean next() throws IOException {
      length = 0;
      offset = nextOffset;
      boolean any = false;
      boolean newline = false;
      while (!newline) {
        if (chunkPos == chunkEnd) {
          int read;
          try {
            read = in.read(chunk, 0, chunk.length);
          } catch (ZipException | EOFException e) {
            throw damagedGzip(file, offset + length, e);
          }
          if (read < 0) {
            break;
          }
          chunkPos = 0;
          chunkEnd = read;
          continue;
        }
        any = true;
        int start = chunkPos;
        int end = start;
        while (end < chunkEnd && chunk[end] != '\n') {
          end++;
        }
        append(start, end);
        chunkPos = end;
        if (end < chunkEnd) {
          chunkPos++;
          newline = true;
        }
      }
      if (!any) {
        return false;
      }
      number++;
      nextOffset = offset + length + (newline ? 1 : 0);
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      return true;
    }

    private void append(int start, int end) {
      int n = end - start;
      if (length + n > line.length) {
        line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
      }
      System.arraycopy(chunk, start, line, length, n);
      length += n;
    }

    byte[] bytes() {
      return line;
    }

    int length() {
      return length;
    }

    long number() {
      return number;
    }

    long offset() {
      return offset;
    }
  }
}
