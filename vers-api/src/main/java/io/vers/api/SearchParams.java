package io.vers.api;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.LongPredicate;

/**
 * Per-query settings: the search-budget knobs each algorithm reads, and an optional id filter.
 * Immutable; an unset knob means the index's default. Algorithms ignore knobs that are not theirs.
 *
 * <ul>
 *   <li>{@code ef} (HNSW): size of the dynamic candidate list; {@code max(ef, k)} is used.
 *   <li>{@code nprobe} (IVF): number of inverted lists scanned.
 *   <li>{@code searchK} (LSH): number of candidates gathered from the trees before exact re-ranking.
 * </ul>
 *
 * <p>The filter is applied during the search: only ids it accepts are returned, and an index returns
 * {@code k} results whenever at least {@code k} accepted ids are stored. It is called from the
 * searching thread and must be thread-safe if the same params are shared across threads.
 */
public final class SearchParams {
  /** No knobs set and no filter. */
  public static final SearchParams DEFAULT = new SearchParams(0, 0, 0, null);

  private final int ef;
  private final int nprobe;
  private final int searchK;
  private final LongPredicate filter;

  private SearchParams(int ef, int nprobe, int searchK, LongPredicate filter) {
    this.ef = ef;
    this.nprobe = nprobe;
    this.searchK = searchK;
    this.filter = filter;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** HNSW's candidate list size for this query, if set. */
  public OptionalInt ef() {
    return ef == 0 ? OptionalInt.empty() : OptionalInt.of(ef);
  }

  /** IVF's number of lists to scan, if set. */
  public OptionalInt nprobe() {
    return nprobe == 0 ? OptionalInt.empty() : OptionalInt.of(nprobe);
  }

  /** LSH's candidate budget, if set. */
  public OptionalInt searchK() {
    return searchK == 0 ? OptionalInt.empty() : OptionalInt.of(searchK);
  }

  /** The id filter, or {@code null} when every id is accepted. */
  public LongPredicate filter() {
    return filter;
  }

  /** Whether the filter accepts {@code id} (always true without a filter). */
  public boolean accepts(long id) {
    return filter == null || filter.test(id);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ef = ef;
    b.nprobe = nprobe;
    b.searchK = searchK;
    b.filter = filter;
    return b;
  }

  @Override
  public String toString() {
    return "SearchParams{ef=" + ef + ", nprobe=" + nprobe + ", searchK=" + searchK
        + (filter == null ? "" : ", filtered") + "}";
  }

  /** Builds {@link SearchParams}. Not thread-safe. */
  public static final class Builder {
    private int ef;
    private int nprobe;
    private int searchK;
    private LongPredicate filter;

    private Builder() {}

    /** HNSW: candidate list size, at least 1. */
    public Builder ef(int ef) {
      this.ef = positive("ef", ef);
      return this;
    }

    /** IVF: number of lists to scan, at least 1. */
    public Builder nprobe(int nprobe) {
      this.nprobe = positive("nprobe", nprobe);
      return this;
    }

    /** LSH: candidates gathered before re-ranking, at least 1. */
    public Builder searchK(int searchK) {
      this.searchK = positive("searchK", searchK);
      return this;
    }

    /** Only ids accepted by {@code filter} are returned. */
    public Builder filter(LongPredicate filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Sets a knob by name, as given on a command line: {@code ef} (also {@code ef_search},
     * {@code efSearch}), {@code nprobe} (also {@code n_probe}), {@code searchK} (also {@code search_k},
     * {@code budget}). Case, {@code _} and {@code -} are ignored.
     *
     * @throws InvalidParameterException for any other name or a value below 1
     */
    public Builder set(String name, int value) {
      String key = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
      switch (key) {
        case "ef":
        case "efsearch":
          return ef(value);
        case "nprobe":
          return nprobe(value);
        case "searchk":
        case "budget":
          return searchK(value);
        default:
          throw new InvalidParameterException(
              "unknown search parameter '" + name + "'; accepted: ef (HNSW), nprobe (IVF), searchK (LSH)");
      }
    }

    public SearchParams build() {
      return new SearchParams(ef, nprobe, searchK, filter);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new InvalidParameterException("search parameter " + name + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
