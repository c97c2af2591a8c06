package io.vers.api;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Build parameters after validation: every accepted parameter under its canonical name, with defaults
 * filled in. Immutable. Created by {@link #resolve}, which turns a user's loosely typed map (numbers,
 * booleans or strings, under canonical names or aliases) into checked values.
 */
public final class IndexParams {
  private final String algorithm;
  private final ImmutableMap<String, Object> values;

  private IndexParams(String algorithm, ImmutableMap<String, Object> values) {
    this.algorithm = algorithm;
    this.values = values;
  }

  /**
   * Validates {@code raw} against {@code specs}.
   *
   * @param algorithm the algorithm's name, for messages
   * @param specs the parameters the algorithm accepts
   * @param raw user values keyed by canonical name or alias; values may be {@link Number},
   *     {@link Boolean} or {@link String}
   * @return every parameter that has a value: given or defaulted, converted to the spec's type
   * @throws IllegalParameterException naming an unknown parameter (and listing the accepted ones), a
   *     parameter given twice, a value of the wrong type, or one outside its range
   */
  public static IndexParams resolve(String algorithm, List<ParameterSpec> specs, Map<String, ?> raw) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    Map<String, String> givenAs = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : raw.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "parameter name");
      ParameterSpec spec = specs.stream()
          .filter(s -> s.matches(key))
          .findFirst()
          .orElseThrow(() -> new IllegalParameterException(
              "unknown parameter '" + key + "' for " + algorithm + "; accepted: " + describe(specs)));
      String previous = givenAs.put(spec.name(), key);
      if (previous != null) {
        throw new IllegalParameterException(
            "parameter " + spec.name() + " of " + algorithm + " is given twice, as '" + previous + "' and '"
                + key + "'; give it once");
      }
      resolved.put(spec.name(), convert(algorithm, spec, key, entry.getValue()));
    }
    ImmutableMap.Builder<String, Object> values = ImmutableMap.builder();
    for (ParameterSpec spec : specs) {
      Object value = resolved.containsKey(spec.name()) ? resolved.get(spec.name()) : spec.defaultValue();
      if (value != null) {
        values.put(spec.name(), value);
      }
    }
    return new IndexParams(algorithm, values.buildOrThrow());
  }

  private static Object convert(String algorithm, ParameterSpec spec, String key, Object value) {
    String where = "parameter " + spec.name() + (key.equals(spec.name()) ? "" : " (given as '" + key + "')")
        + " of " + algorithm;
    if (value == null) {
      throw new IllegalParameterException(where + " has no value; allowed: " + spec.range());
    }
    if (spec.type() == ParameterSpec.Type.CHOICE) {
      String word = value.toString().trim().toLowerCase(Locale.ROOT);
      if (spec.choices().contains(word)) {
        return word;
      }
      throw new IllegalParameterException(where + " must be " + spec.range() + ", got '" + value + "'");
    }
    if (spec.type() == ParameterSpec.Type.BOOLEAN) {
      if (value instanceof Boolean) {
        return value;
      }
      String text = value.toString().trim();
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(text);
      }
      throw new IllegalParameterException(where + " must be true or false, got '" + value + "'");
    }
    if (spec.type() == ParameterSpec.Type.LONG && (value instanceof Long || value instanceof String)) {
      Long exact = value instanceof Long ? (Long) value : parseLongOrNull((String) value);
      if (exact != null) {
        if (exact < spec.min() || exact > spec.max()) {
          throw new IllegalParameterException(where + " must be in " + spec.range() + ", got " + value);
        }
        return exact;
      }
    }
    double number;
    if (value instanceof Number) {
      number = ((Number) value).doubleValue();
    } else if (value instanceof String) {
      try {
        number = Double.parseDouble(((String) value).trim());
      } catch (NumberFormatException e) {
        throw new IllegalParameterException(where + " must be a number in " + spec.range() + ", got '" + value + "'");
      }
    } else {
      throw new IllegalParameterException(
          where + " must be a number in " + spec.range() + ", got a " + value.getClass().getSimpleName());
    }
    if (Double.isNaN(number) || number < spec.min() || number > spec.max()) {
      throw new IllegalParameterException(where + " must be in " + spec.range() + ", got " + value);
    }
    switch (spec.type()) {
      case INT:
        checkWhole(where, number, value);
        return (int) number;
      case LONG:
        checkWhole(where, number, value);
        return (long) number;
      default:
        return number;
    }
  }

  private static Long parseLongOrNull(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void checkWhole(String where, double number, Object value) {
    if (number != Math.rint(number)) {
      throw new IllegalParameterException(where + " must be a whole number, got " + value);
    }
  }

  private static String describe(List<ParameterSpec> specs) {
    if (specs.isEmpty()) {
      return "none";
    }
    return specs.stream()
        .map(s -> s.name() + (s.aliases().isEmpty() ? "" : " (" + String.join(", ", s.aliases()) + ")"))
        .collect(Collectors.joining(", "));
  }

  /** {@return the algorithm these parameters are for} */
  public String algorithm() {
    return algorithm;
  }

  /**
   * An int parameter's value.
   *
   * @param name the canonical name
   * @return the value
   * @throws IllegalStateException if the parameter has no value (no default and not given)
   */
  public int getInt(String name) {
    return ((Number) require(name)).intValue();
  }

  /**
   * A long parameter's value.
   *
   * @param name the canonical name
   * @return the value
   * @throws IllegalStateException if the parameter has no value (no default and not given)
   */
  public long getLong(String name) {
    return ((Number) require(name)).longValue();
  }

  /**
   * A double parameter's value.
   *
   * @param name the canonical name
   * @return the value
   * @throws IllegalStateException if the parameter has no value (no default and not given)
   */
  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  /**
   * A boolean parameter's value.
   *
   * @param name the canonical name
   * @return the value
   * @throws IllegalStateException if the parameter has no value (no default and not given)
   */
  public boolean getBoolean(String name) {
    return (Boolean) require(name);
  }

  /**
   * A choice parameter's value, one of its spec's {@link ParameterSpec#choices()}.
   *
   * @param name the canonical name
   * @return the value
   * @throws IllegalStateException if the parameter has no value (no default and not given)
   */
  public String getString(String name) {
    return (String) require(name);
  }

  /**
   * An optional int parameter: empty when it has no default and was not given.
   *
   * @param name the canonical name
   * @return the value, or empty
   */
  public OptionalInt optionalInt(String name) {
    Object v = values.get(name);
    return v == null ? OptionalInt.empty() : OptionalInt.of(((Number) v).intValue());
  }

  /**
   * An optional long parameter: empty when it has no default and was not given.
   *
   * @param name the canonical name
   * @return the value, or empty
   */
  public OptionalLong optionalLong(String name) {
    Object v = values.get(name);
    return v == null ? OptionalLong.empty() : OptionalLong.of(((Number) v).longValue());
  }

  /**
   * Every parameter that has a value, by canonical name, in the provider's declared order.
   *
   * @return an immutable map of the values: {@link Integer}, {@link Long}, {@link Double} or {@link Boolean}
   */
  public Map<String, Object> asMap() {
    return values;
  }

  private Object require(String name) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalStateException("parameter " + name + " of " + algorithm + " has no value");
    }
    return v;
  }

  @Override
  public String toString() {
    return algorithm + values;
  }
}
