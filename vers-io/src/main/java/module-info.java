/** Saving and loading vers indexes: versioned, checksummed files written atomically ({@code io.vers.io.IndexIO}). */
module io.vers.io {
  requires io.vers.api;
  requires com.google.common;
  requires com.esotericsoftware.kryo;

  exports io.vers.io;
}
