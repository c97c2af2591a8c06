package io.vers.bench.harness;

import io.vers.api.IndexProvider;
import io.vers.api.Indexes;
import io.vers.api.UnknownAlgorithmException;
import io.vers.bench.peers.Peers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Finds contenders by name: vers algorithms on the class path first, then peers. Stateless. */
public final class Contenders {
  /** Selects every vers algorithm and every peer. */
  public static final String ALL = "all";

  /** Selects every peer. */
  public static final String PEERS = "peers";

  /** The algorithms shipped with vers, each in its own module. */
  private static final Set<String> SHIPPED = Set.of("flat", "hnsw", "ivfflat", "lsh");

  private Contenders() {}

  /** Every vers algorithm found on the class path, by name. */
  public static List<Contender> vers() {
    List<Contender> out = new ArrayList<>();
    for (String name : Indexes.available()) {
      out.add(new VersContender(Indexes.provider(name)));
    }
    return out;
  }

  /**
   * The contenders named in {@code names} (each a vers algorithm, a peer, {@value #ALL} or
   * {@value #PEERS}), without repeats, in the order given.
   *
   * @throws IllegalArgumentException for an unknown name, listing what is available
   */
  public static List<Contender> select(List<String> names) {
    Set<String> seen = new LinkedHashSet<>();
    List<Contender> out = new ArrayList<>();
    for (String raw : names) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      List<Contender> picked = switch (name) {
        case ALL -> {
          List<Contender> all = new ArrayList<>(vers());
          all.addAll(Peers.all());
          yield all;
        }
        case PEERS -> Peers.all();
        default -> List.of(find(name));
      };
      for (Contender c : picked) {
        if (seen.add(c.name())) {
          out.add(c);
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no algorithm selected; " + available());
    }
    return out;
  }

  /**
   * The contender named {@code name}; {@code ALGORITHM:LABEL} names a second configuration of
   * {@code ALGORITHM} (a {@link Variant}).
   */
  public static Contender find(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    int colon = key.indexOf(':');
    if (colon >= 0) {
      String label = key.substring(colon + 1);
      if (colon == 0 || !label.matches("[a-z0-9_-]+")) {
        throw new IllegalArgumentException("'" + name.trim() + "' is not ALGORITHM:LABEL with a label of letters,"
            + " digits, '-' or '_', for example hnsw:sq8");
      }
      return new Variant(find(key.substring(0, colon)), key);
    }
    if (Indexes.available().contains(key)) {
      return new VersContender(Indexes.provider(key));
    }
    Optional<Contender> peer = Peers.find(key);
    if (peer.isPresent()) {
      return peer.get();
    }
    try {
      Indexes.provider(key);
    } catch (UnknownAlgorithmException e) {
      throw new IllegalArgumentException(unknownAlgorithm(name, e) + "; peers: " + peerNames());
    }
    throw new IllegalStateException("provider " + key + " vanished");
  }

  /**
   * The provider named {@code name}, or an {@link UnknownAlgorithmException} whose message lists the
   * available algorithms once.
   */
  public static IndexProvider provider(String name) {
    try {
      return Indexes.provider(name);
    } catch (UnknownAlgorithmException e) {
      throw new UnknownAlgorithmException(name, unknownAlgorithm(name, e), e);
    }
  }

  /**
   * The message for an unknown algorithm: vers-api's, which names the module that provides an algorithm
   * shipped with vers when that module is missing; when every shipped algorithm is on the class path its
   * list of them would repeat the available ones, so then only those are listed.
   */
  static String unknownAlgorithm(String name, UnknownAlgorithmException e) {
    if (!Indexes.available().containsAll(SHIPPED) || SHIPPED.contains(name.trim().toLowerCase(Locale.ROOT))) {
      return e.getMessage();
    }
    return "unknown index algorithm '" + name.trim() + "'; available: " + String.join(", ", Indexes.available());
  }

  /** What can be selected, for messages. */
  public static String available() {
    return "vers algorithms found: " + String.join(", ", Indexes.available()) + "; peers: " + peerNames()
        + "; or 'all', 'peers'";
  }

  private static String peerNames() {
    return String.join(", ", Peers.all().stream().map(Contender::name).toList());
  }
}
