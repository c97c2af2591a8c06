/**
 * Persistence for every vers index: {@link io.vers.io.IndexIO} saves an index's neutral
 * {@link io.vers.api.IndexSnapshot} in the vers index format and loads it back through the provider
 * the file names. This module knows no algorithm; an algorithm module only has to produce and
 * restore snapshots.
 *
 * <h2>The vers index format, version 1</h2>
 * A file is a prefix, a header, the arrays and a footer. Fixed-width integers are little-endian.
 *
 * <table class="striped">
 *   <caption>Layout</caption>
 *   <thead><tr><th>Bytes</th><th>Field</th></tr></thead>
 *   <tbody>
 *   <tr><td>8</td><td>magic {@code 89 56 45 52 53 0D 0A 1A} ({@code \x89 V E R S \r \n \x1A}: the high byte
 *       and the line endings expose 7-bit and text-mode transfers)</td></tr>
 *   <tr><td>4</td><td>format version, int32 (this code writes 1 and reads 1)</td></tr>
 *   <tr><td>4</td><td>header length {@code H}, int32, 1 to 1 MiB</td></tr>
 *   <tr><td>H</td><td>header body, Kryo-encoded (below)</td></tr>
 *   <tr><td>4</td><td>header checksum: CRC32C of every byte before it, int32</td></tr>
 *   <tr><td>...</td><td>the arrays, in directory order, each its elements as little-endian
 *       {@code int32}, {@code int64}, {@code float32} (IEEE 754 bits) or bytes, with nothing between
 *       them</td></tr>
 *   <tr><td>4</td><td>footer marker {@code VEND}</td></tr>
 *   <tr><td>4</td><td>file checksum: CRC32C of every byte before it, int32</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>The prefix, the header length and the header checksum keep this layout in every format version,
 * so any reader can verify a header before judging its version: a damaged file is reported as
 * damaged, and an intact file from a newer format as {@link io.vers.io.IndexFormatTooNewException}
 * naming both versions.
 *
 * <h3>Header body</h3>
 * Written with a Kryo {@code Output}: {@code varint} is Kryo's variable-length positive int,
 * {@code varlong} its zig-zag variable-length long, and {@code string} is a {@code varint} byte count
 * followed by that many bytes of UTF-8.
 * <ol>
 *   <li>{@code string} algorithm: the provider name, for example {@code hnsw} (at most 64 bytes of
 *       letters, digits, {@code _ . -})
 *   <li>{@code varint} the algorithm's state version (at least 1)
 *   <li>{@code varint} dimension (at least 1)
 *   <li>{@code string} metric: the {@link io.vers.api.Metric} constant's name, {@code L2},
 *       {@code COSINE} or {@code DOT}
 *   <li>{@code varint} vector count
 *   <li>{@code varint} parameter count (at most 256), then per parameter {@code string} name (1 to 256
 *       bytes) and {@code string} value as text (at most 1024 bytes)
 *   <li>{@code varint} scalar count (at most 1024), then per scalar {@code string} name and
 *       {@code varlong} value
 *   <li>{@code varint} array count (at most 1024), then per array {@code string} name, the element type
 *       as a Kryo class reference, and {@code varint} length in elements (at most
 *       {@code Integer.MAX_VALUE - 8})
 * </ol>
 * The element type is written with {@code Kryo.writeClass} under registration-required Kryo: the
 * registered id plus 2, as a {@code varint}. The registered ids are 16 {@code int[]}, 17
 * {@code long[]}, 18 {@code float[]} and 19 {@code byte[]}. A reference to any other id, to one of
 * Kryo's built-in registrations, or to a class by name is rejected; a class name in the data is never
 * read, let alone loaded.
 *
 * <h3>Reading</h3>
 * Nothing a file says is trusted before it is checked. The header is read (at most 1 MiB) and its
 * checksum verified before any of it is decoded; every count and string length in it is checked
 * against its limit and against the header bytes that remain. The header then determines the exact
 * length of the file, which must equal the file's size before any array is allocated. Each array is
 * read straight into its final Java array, a chunk at a time. The file checksum is verified before
 * the snapshot goes to its provider, which validates the algorithm's state in turn.
 *
 * <p>Saves are atomic ({@code AtomicFile}): a temporary file in the target's directory is written,
 * forced to the device and renamed over the target.
 */
package io.vers.io;
