package io.vers.io;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.vers.api.CorruptIndexException;
import io.vers.api.IndexSnapshot;
import io.vers.api.Metric;
import io.vers.spi.Messages;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Encodes and decodes the header body with Kryo: the snapshot's header fields, parameters, scalars
 * and array directory (see the package documentation for the layout). The decoder trusts nothing:
 * every count and string length is checked against a fixed limit and the bytes that remain before
 * anything is allocated, strings must be valid UTF-8, and element types are resolved only through
 * {@link VersKryo}'s registrations.
 */
final class HeaderCodec {
  static final int MAX_ALGORITHM_BYTES = 64;
  static final int MAX_NAME_BYTES = 256;
  static final int MAX_VALUE_BYTES = 1024;
  static final int MAX_PARAMETERS = 256;
  static final int MAX_SCALARS = 1024;
  static final int MAX_ARRAYS = 1024;
  /** The largest array the JVM reliably allocates. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private static final Pattern ALGORITHM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private HeaderCodec() {}

  /**
   * Checks that {@code snapshot} fits the format's limits, so a file is never written that this code
   * would refuse to read.
   *
   * @throws IllegalArgumentException naming the first field that does not fit
   */
  static void checkWritable(IndexSnapshot snapshot) {
    String algorithm = snapshot.algorithm();
    if (!ALGORITHM.matcher(algorithm).matches() || utf8(algorithm).length > MAX_ALGORITHM_BYTES) {
      throw new IllegalArgumentException("cannot save: algorithm name '" + algorithm + "' must be 1 to "
          + MAX_ALGORITHM_BYTES + " letters, digits, '_', '.' or '-', starting with a letter or digit");
    }
    if (snapshot.stateVersion() < 1 || snapshot.dimension() < 1 || snapshot.size() < 0) {
      throw new IllegalArgumentException("cannot save: snapshot has state version " + snapshot.stateVersion()
          + ", dimension " + snapshot.dimension() + " and size " + snapshot.size()
          + "; the first two must be at least 1 and the size at least 0");
    }
    checkCount("parameters", snapshot.parameters().size(), MAX_PARAMETERS);
    checkCount("scalars", snapshot.scalars().size(), MAX_SCALARS);
    checkCount("arrays", snapshot.arrays().size(), MAX_ARRAYS);
    snapshot.parameters().forEach((name, value) -> {
      checkText("parameter name", name, MAX_NAME_BYTES, false);
      checkText("value of parameter " + name, value, MAX_VALUE_BYTES, true);
    });
    snapshot.scalars().keySet().forEach(name -> checkText("scalar name", name, MAX_NAME_BYTES, false));
    snapshot.arrays().keySet().forEach(name -> checkText("array name", name, MAX_NAME_BYTES, false));
  }

  private static void checkCount(String what, int count, int max) {
    if (count > max) {
      throw new IllegalArgumentException("cannot save: the snapshot has " + count + " " + what + "; the format holds at most " + max);
    }
  }

  private static void checkText(String what, String text, int maxBytes, boolean mayBeEmpty) {
    int bytes = utf8(text).length;
    if (bytes == 0 && !mayBeEmpty) {
      throw new IllegalArgumentException("cannot save: empty " + what);
    }
    if (bytes > maxBytes) {
      throw new IllegalArgumentException(
          "cannot save: " + what + " '" + abbreviate(text) + "' is " + bytes + " bytes of UTF-8; at most " + maxBytes);
    }
  }

  /** The header body of {@code snapshot}, which must have passed {@link #checkWritable}. */
  static byte[] encode(IndexSnapshot snapshot) {
    Kryo kryo = VersKryo.create();
    Output out = new Output(512, IndexFormat.MAX_HEADER_BYTES);
    writeString(out, snapshot.algorithm());
    out.writeVarInt(snapshot.stateVersion(), true);
    out.writeVarInt(snapshot.dimension(), true);
    writeString(out, snapshot.metric().name());
    out.writeVarInt(snapshot.size(), true);
    out.writeVarInt(snapshot.parameters().size(), true);
    snapshot.parameters().forEach((name, value) -> {
      writeString(out, name);
      writeString(out, value);
    });
    out.writeVarInt(snapshot.scalars().size(), true);
    snapshot.scalars().forEach((name, value) -> {
      writeString(out, name);
      out.writeVarLong(value, false);
    });
    out.writeVarInt(snapshot.arrays().size(), true);
    snapshot.arrays().forEach((name, array) -> {
      writeString(out, name);
      kryo.writeClass(out, array.type());
      out.writeVarInt(array.length(), true);
    });
    return out.toBytes();
  }

  private static void writeString(Output out, String text) {
    byte[] bytes = utf8(text);
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  /**
   * Decodes a header body whose checksum has been verified.
   *
   * @param payloadOffset where the first array starts in the file, to compute the file's length
   * @throws CorruptIndexException if any field is malformed or out of bounds
   */
  static IndexFileHeader decode(byte[] body, int formatVersion, long payloadOffset, String source)
      throws CorruptIndexException {
    Reader r = new Reader(body, source);
    try {
      String algorithm = r.string("algorithm name", MAX_ALGORITHM_BYTES);
      if (!ALGORITHM.matcher(algorithm).matches()) {
        throw r.corrupt("algorithm name " + Messages.quote(algorithm) + " is not a valid provider name");
      }
      int stateVersion = r.varInt("state version", 1, Integer.MAX_VALUE);
      int dimension = r.varInt("dimension", 1, Integer.MAX_VALUE);
      String metricName = r.string("metric", 32);
      Metric metric;
      try {
        metric = Metric.valueOf(metricName);
      } catch (IllegalArgumentException e) {
        throw r.corrupt("metric " + Messages.quote(metricName) + " is not one this vers knows ("
            + java.util.Arrays.toString(Metric.values()) + ")");
      }
      int size = r.varInt("vector count", 0, Integer.MAX_VALUE);

      Map<String, String> parameters = new LinkedHashMap<>();
      int parameterCount = r.count("parameters", MAX_PARAMETERS, 2);
      for (int i = 0; i < parameterCount; i++) {
        String name = r.name("parameter name");
        String value = r.string("value of parameter " + Messages.quote(name), MAX_VALUE_BYTES);
        if (parameters.put(name, value) != null) {
          throw r.corrupt("parameter " + Messages.quote(name) + " appears twice");
        }
      }

      Map<String, Long> scalars = new LinkedHashMap<>();
      int scalarCount = r.count("scalars", MAX_SCALARS, 3);
      for (int i = 0; i < scalarCount; i++) {
        String name = r.name("scalar name");
        long value = r.input.readVarLong(false);
        if (scalars.put(name, value) != null) {
          throw r.corrupt("scalar " + Messages.quote(name) + " appears twice");
        }
      }

      int arrayCount = r.count("arrays", MAX_ARRAYS, 4);
      ImmutableList.Builder<IndexFileHeader.ArrayInfo> arrays = ImmutableList.builder();
      java.util.Set<String> arrayNames = new java.util.HashSet<>();
      long fileBytes = payloadOffset + IndexFormat.FOOTER_BYTES;
      for (int i = 0; i < arrayCount; i++) {
        String name = r.name("array name");
        if (!arrayNames.add(name)) {
          throw r.corrupt("array " + Messages.quote(name) + " appears twice");
        }
        ArrayKind kind = r.arrayKind(name);
        int length = r.varInt("length of array " + Messages.quote(name), 0, MAX_ARRAY_LENGTH);
        arrays.add(new IndexFileHeader.ArrayInfo(name, kind.type, length));
        fileBytes += (long) length * kind.elementBytes;
      }
      if (r.remaining() != 0) {
        throw r.corrupt(r.remaining() + " unexpected bytes at the end of the header");
      }
      return new IndexFileHeader(formatVersion, algorithm, stateVersion, dimension, metric, size,
          ImmutableMap.copyOf(parameters), ImmutableMap.copyOf(scalars), arrays.build(), fileBytes);
    } catch (KryoException e) {
      throw new CorruptIndexException(source + " has a malformed header: " + e.getMessage(), e);
    }
  }

  /** Bounded reads from a header body. */
  private static final class Reader {
    final Input input;
    final Kryo kryo = VersKryo.create();
    final String source;

    Reader(byte[] body, String source) {
      this.input = new Input(body);
      this.source = source;
    }

    int remaining() {
      return input.limit() - input.position();
    }

    int varInt(String what, int min, int max) throws CorruptIndexException {
      int value = input.readVarInt(true);
      if (value < min || value > max) {
        throw corrupt(what + " " + Integer.toUnsignedString(value) + " is outside [" + min + ", " + max + "]");
      }
      return value;
    }

    /** A count of entries that each take at least {@code minEntryBytes} bytes. */
    int count(String what, int max, int minEntryBytes) throws CorruptIndexException {
      int count = varInt("number of " + what, 0, max);
      if ((long) count * minEntryBytes > remaining()) {
        throw corrupt("it declares " + count + " " + what + " but only " + remaining() + " header bytes remain");
      }
      return count;
    }

    String name(String what) throws CorruptIndexException {
      String name = string(what, MAX_NAME_BYTES);
      if (name.isEmpty()) {
        throw corrupt("empty " + what);
      }
      return name;
    }

    String string(String what, int maxBytes) throws CorruptIndexException {
      int length = input.readVarInt(true);
      if (length < 0 || length > maxBytes) {
        throw corrupt(what + " is " + Integer.toUnsignedString(length) + " bytes long; at most " + maxBytes
            + " are allowed");
      }
      if (length > remaining()) {
        throw corrupt(what + " is " + length + " bytes long but only " + remaining() + " header bytes remain");
      }
      byte[] bytes = input.readBytes(length);
      try {
        return StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw corrupt(what + " is not valid UTF-8");
      }
    }

    ArrayKind arrayKind(String name) throws CorruptIndexException {
      Registration registration;
      try {
        registration = kryo.readClass(input);
      } catch (KryoException e) {
        throw new CorruptIndexException(
            source + " has a malformed header: the element type of array " + Messages.quote(name) + " is refused: "
                + e.getMessage(), e);
      }
      if (registration == null) {
        throw corrupt("array " + Messages.quote(name) + " has no element type");
      }
      ArrayKind kind = ArrayKind.of(registration.getType());
      if (kind == null) {
        throw corrupt("array " + Messages.quote(name) + " is of type " + registration.getType().getName()
            + "; only int[], long[], float[] and byte[] arrays are accepted");
      }
      return kind;
    }

    CorruptIndexException corrupt(String problem) {
      return new CorruptIndexException(source + " has a malformed header: " + problem);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
