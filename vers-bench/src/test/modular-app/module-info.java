/** A small modular application: vers on the module path, the algorithms found through ServiceLoader. */
module io.vers.example {
  requires io.vers.api;
  requires io.vers.io;
}
