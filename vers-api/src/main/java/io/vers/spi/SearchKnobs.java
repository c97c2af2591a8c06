package io.vers.spi;

import io.vers.api.IllegalParameterException;
import io.vers.api.ParameterSpec;
import io.vers.api.SearchParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the knobs of {@link SearchParams} for one algorithm, against the specs its provider declares in
 * {@code searchParameters()}: a knob the algorithm does not declare, or a value out of range or not a
 * whole number, fails with an {@link IllegalParameterException} naming the knobs it reads. Reading
 * allocates nothing. For index implementations; no compatibility promise to applications.
 */
public final class SearchKnobs {
  private final String algorithm;
  private final List<ParameterSpec> specs;
  private final Map<String, ParameterSpec> byKey = new HashMap<>();

  /**
   * @param algorithm the provider name, for messages
   * @param specs the provider's {@code searchParameters()}
   */
  public SearchKnobs(String algorithm, List<ParameterSpec> specs) {
    this.algorithm = algorithm;
    this.specs = List.copyOf(specs);
    for (ParameterSpec spec : specs) {
      byKey.put(ParameterSpec.normalize(spec.name()), spec);
      for (String alias : spec.aliases()) {
        byKey.put(ParameterSpec.normalize(alias), spec);
      }
    }
  }

  /**
   * Checks every knob of {@code params}: declared, in range, a whole number for integer knobs, and not
   * combined with a target recall.
   *
   * @throws IllegalParameterException naming the knob and what is accepted
   */
  public void check(SearchParams params) {
    for (int i = 0; i < params.knobCount(); i++) {
      ParameterSpec spec = byKey.get(params.knobKey(i));
      if (spec == null) {
        throw new IllegalParameterException(algorithm + " does not read the search knob '" + params.knobName(i)
            + "'; " + accepted());
      }
      double value = params.knobValue(i);
      boolean whole = spec.type() == ParameterSpec.Type.DOUBLE || value == Math.rint(value);
      if (!whole || value < spec.min() || value > spec.max()) {
        throw new IllegalParameterException("search knob " + spec.name() + " of " + algorithm + " must be "
            + (spec.type() == ParameterSpec.Type.DOUBLE ? "a number in " : "a whole number in ") + spec.range()
            + ", got " + params.knobs().get(params.knobName(i)));
      }
      if (params.targetRecall().isPresent()) {
        throw new IllegalParameterException("set either targetRecall or the search knob " + spec.name()
            + ", not both: targetRecall lets " + algorithm + " choose " + spec.name() + " itself");
      }
    }
  }

  /**
   * The value of the knob named {@code name} (its canonical name) in {@code params}, or {@code fallback}
   * when unset. Checks {@code params} first, as {@link #check} does.
   */
  public int intValue(SearchParams params, String name, int fallback) {
    if (params.knobCount() == 0) {
      return fallback;
    }
    check(params);
    for (int i = 0; i < params.knobCount(); i++) {
      if (byKey.get(params.knobKey(i)).name().equals(name)) {
        return (int) params.knobValue(i);
      }
    }
    return fallback;
  }

  /**
   * The value of the knob {@code name} for a search of {@code k} results: set explicitly, else chosen by
   * {@code calibrator} when {@code params} asks for a target recall, else {@code fallback}.
   */
  public int intValue(SearchParams params, String name, int k, RecallCalibrator calibrator, int fallback) {
    int value = intValue(params, name, Integer.MIN_VALUE);
    if (value != Integer.MIN_VALUE) {
      return value;
    }
    if (params.targetRecall().isPresent()) {
      return calibrator.valueFor(k, params.targetRecall().getAsDouble());
    }
    return fallback;
  }

  /** "it reads: ef (1 to 32768), targetRecall", for messages. */
  public String accepted() {
    if (specs.isEmpty()) {
      return "it reads no search knobs (it is exact), only targetRecall, which it always meets";
    }
    return "it reads: " + specs.stream().map(s -> s.name() + " " + s.range()).collect(Collectors.joining(", "))
        + ", and targetRecall";
  }
}
