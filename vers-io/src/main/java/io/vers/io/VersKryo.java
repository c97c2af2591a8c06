package io.vers.io;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * The Kryo configuration of the index format: registration required, no references, and only the
 * classes registered here (the four primitive array types, under fixed ids) may be named by a file.
 *
 * <p>Kryo can also name a class by its fully qualified name, which its default resolver then loads
 * with {@link Class#forName}. This resolver refuses that form before reading the name, so a file can
 * never make vers load, let alone instantiate, a class of its choosing.
 *
 * <p>A {@link Kryo} instance is not thread-safe; {@link #create()} makes a fresh one per use.
 */
final class VersKryo {
  private VersKryo() {}

  /** A Kryo instance that accepts exactly the registered array types. */
  static Kryo create() {
    Kryo kryo = new Kryo(new StrictClassResolver(), null);
    kryo.setRegistrationRequired(true);
    for (ArrayKind kind : ArrayKind.values()) {
      kryo.register(kind.type, kind.kryoId);
    }
    return kryo;
  }

  /** Resolves classes by registered id only. */
  private static final class StrictClassResolver extends DefaultClassResolver {
    @Override
    protected Registration readName(Input input) {
      throw new KryoException("the data names a class by name; only classes registered by vers are accepted");
    }
  }
}
