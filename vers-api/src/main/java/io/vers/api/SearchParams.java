package io.vers.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.LongPredicate;

/**
 * Per-query settings: search knobs by name, a recall to aim for, and an optional id filter. Immutable;
 * an unset knob means the index's default.
 *
 * <p>Each algorithm declares the knobs it reads in its provider's {@link IndexProvider#searchParameters()}
 * ({@code ef} for HNSW, {@code nprobe} for IVF, {@code searchK} for LSH, none for the exact index), and an
 * index given a knob it does not read, or a value out of its range, refuses the search with an
 * {@link IllegalParameterException} naming the knobs it reads. Knob names match ignoring case,
 * {@code _} and {@code -}, and the aliases each provider declares ({@code ef_search} for {@code ef}).
 *
 * <pre>{@code
 * SearchParams tuned = SearchParams.builder().ef(100).build();          // HNSW's candidate list
 * SearchParams byName = SearchParams.builder().set("nprobe", 16).build(); // as read from a config
 * SearchParams asked = SearchParams.builder().targetRecall(0.95).build(); // the index picks its knob
 * }</pre>
 *
 * <p>{@link Builder#targetRecall} lets the index choose its own knob for that recall@k from a calibration
 * it computes on its own data (see {@link Index#calibration(int)}); it cannot be combined with an explicit
 * knob.
 *
 * <p>The filter is applied during the search: only ids it accepts are returned, and an index returns
 * {@code k} results whenever at least {@code k} accepted ids are stored. It is called from the
 * searching thread (from several threads in a batch search) and must be thread-safe.
 */
public final class SearchParams {
  /** No knobs set and no filter. */
  public static final SearchParams DEFAULT = new SearchParams(new String[0], new String[0], new double[0], Double.NaN,
      null);

  private final String[] names;
  private final String[] keys;
  private final double[] values;
  private final double targetRecall;
  private final LongPredicate filter;

  private SearchParams(String[] names, String[] keys, double[] values, double targetRecall, LongPredicate filter) {
    this.names = names;
    this.keys = keys;
    this.values = values;
    this.targetRecall = targetRecall;
    this.filter = filter;
  }

  /**
   * {@return a builder with no knobs, no target recall and no filter}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The knobs set, by the name each was given under, in the order they were set.
   *
   * @return an unmodifiable map of knob name to value: an {@link Integer} for a whole value within int range, a
   *     {@link Double} otherwise
   */
  public Map<String, Number> knobs() {
    Map<String, Number> out = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], asNumber(values[i]));
    }
    return Collections.unmodifiableMap(out);
  }

  /** {@return the number of knobs set} */
  public int knobCount() {
    return names.length;
  }

  /**
   * The name the {@code i}-th knob was set under.
   *
   * @param i the knob's position, in {@code [0, knobCount())}
   * @return the name as given to the builder
   * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
   */
  public String knobName(int i) {
    return names[i];
  }

  /**
   * The {@code i}-th knob's name in matching form: lower case without {@code _} and {@code -}, as
   * {@link ParameterSpec#matches} compares names.
   *
   * @param i the knob's position, in {@code [0, knobCount())}
   * @return the normalised name
   * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
   */
  public String knobKey(int i) {
    return keys[i];
  }

  /**
   * The {@code i}-th knob's value.
   *
   * @param i the knob's position, in {@code [0, knobCount())}
   * @return the value, finite
   * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
   */
  public double knobValue(int i) {
    return values[i];
  }

  /**
   * The recall@k asked for with {@link Builder#targetRecall}, if any.
   *
   * @return the target recall, in {@code (0, 1]}, or empty
   */
  public OptionalDouble targetRecall() {
    return Double.isNaN(targetRecall) ? OptionalDouble.empty() : OptionalDouble.of(targetRecall);
  }

  /**
   * The id filter, or {@code null} when every id is accepted.
   *
   * @return the filter, or {@code null}
   */
  public LongPredicate filter() {
    return filter;
  }

  /**
   * Whether the filter accepts {@code id} (always true without a filter).
   *
   * @param id a stored id
   * @return whether a search with these settings may return {@code id}
   */
  public boolean accepts(long id) {
    return filter == null || filter.test(id);
  }

  /**
   * These settings with the knobs and target recall removed: the filter alone.
   *
   * @return settings with only this filter, {@link #DEFAULT} when there is none
   */
  public SearchParams filterOnly() {
    return names.length == 0 && Double.isNaN(targetRecall) ? this
        : filter == null ? DEFAULT : builder().filter(filter).build();
  }

  /**
   * A builder starting from these settings.
   *
   * @return a new builder holding these knobs, target recall and filter
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (int i = 0; i < names.length; i++) {
      b.put(names[i], values[i]);
    }
    b.targetRecall = targetRecall;
    b.filter = filter;
    return b;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SearchParams{");
    for (int i = 0; i < names.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(asNumber(values[i]));
    }
    if (!Double.isNaN(targetRecall)) {
      sb.append(names.length == 0 ? "" : ", ").append("targetRecall=").append(targetRecall);
    }
    if (filter != null) {
      sb.append(names.length == 0 && Double.isNaN(targetRecall) ? "" : ", ").append("filtered");
    }
    return sb.append('}').toString();
  }

  private static Number asNumber(double value) {
    return value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE ? (Number) (int) value : value;
  }

  /** Builds {@link SearchParams}. Not thread-safe. */
  public static final class Builder {
    private String[] names = new String[0];
    private String[] keys = new String[0];
    private double[] values = new double[0];
    private double targetRecall = Double.NaN;
    private LongPredicate filter;

    private Builder() {}

    /**
     * HNSW: the candidate list size; the same as {@code set("ef", ef)}.
     *
     * @param ef the candidate list size, at least 1; the search uses {@code max(ef, k)}
     * @return this builder
     */
    public Builder ef(int ef) {
      return set("ef", ef);
    }

    /**
     * IVF: the number of lists to scan; the same as {@code set("nprobe", nprobe)}.
     *
     * @param nprobe the number of inverted lists to scan, at least 1
     * @return this builder
     */
    public Builder nprobe(int nprobe) {
      return set("nprobe", nprobe);
    }

    /**
     * LSH: the candidates ranked exactly; the same as {@code set("searchK", searchK)}.
     *
     * @param searchK the number of candidates to rank exactly, at least 1
     * @return this builder
     */
    public Builder searchK(int searchK) {
      return set("searchK", searchK);
    }

    /**
     * Sets a knob by name, as given on a command line or in a configuration. Which names an index reads,
     * and their ranges, its provider declares in {@link IndexProvider#searchParameters()}; the index
     * checks them when it searches. A knob set twice keeps the last value. {@code targetRecall} (also
     * {@code target_recall}) is the same as {@link #targetRecall}.
     *
     * @param name the knob's name; matched ignoring case, {@code _} and {@code -}
     * @param value the knob's value, finite; whole for integer knobs
     * @return this builder
     * @throws IllegalParameterException if the name is empty or the value is not finite
     */
    public Builder set(String name, double value) {
      Objects.requireNonNull(name, "name");
      if (ParameterSpec.normalize(name).isEmpty()) {
        throw new IllegalParameterException("a search knob needs a name, got '" + name + "'");
      }
      if (ParameterSpec.normalize(name).equals("targetrecall")) {
        return targetRecall(value);
      }
      if (!Double.isFinite(value)) {
        throw new IllegalParameterException("search knob " + name + " must be a finite number, got " + value);
      }
      put(name, value);
      return this;
    }

    private void put(String name, double value) {
      String key = ParameterSpec.normalize(name);
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          names[i] = name;
          values[i] = value;
          return;
        }
      }
      names = Arrays.copyOf(names, names.length + 1);
      keys = Arrays.copyOf(keys, keys.length + 1);
      values = Arrays.copyOf(values, values.length + 1);
      names[names.length - 1] = name;
      keys[keys.length - 1] = key;
      values[values.length - 1] = value;
    }

    /**
     * Asks the index for a recall@k of at least {@code recall} (a fraction in (0, 1]): it picks its own
     * knob from its {@linkplain Index#calibration(int) calibration}, computing one on first use. An exact
     * index always meets it.
     *
     * @param recall the recall@k wanted, a fraction in (0, 1]
     * @return this builder
     * @throws IllegalParameterException if {@code recall} is not in (0, 1]
     */
    public Builder targetRecall(double recall) {
      if (!(recall > 0 && recall <= 1)) {
        throw new IllegalParameterException(
            "targetRecall must be a fraction in (0, 1], such as 0.95; got " + recall);
      }
      this.targetRecall = recall;
      return this;
    }

    /**
     * Only ids accepted by {@code filter} are returned.
     *
     * @param filter the ids that may be returned; called concurrently, so it must be thread-safe
     * @return this builder
     */
    public Builder filter(LongPredicate filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * {@return the settings; {@link SearchParams#DEFAULT} when nothing was set}
     */
    public SearchParams build() {
      return names.length == 0 && Double.isNaN(targetRecall) && filter == null
          ? DEFAULT
          : new SearchParams(names.clone(), keys.clone(), values.clone(), targetRecall, filter);
    }
  }
}
