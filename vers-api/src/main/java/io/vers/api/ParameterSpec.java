package io.vers.api;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Describes one build parameter an algorithm accepts: name, accepted aliases, type, default, range and
 * a one-line description. Immutable.
 *
 * <p>Names match ignoring case, {@code _} and {@code -}, so {@code ef_construction} finds
 * {@code efConstruction}; {@link #aliases()} add other spellings such as {@code num_neighbours} for
 * {@code m}.
 *
 * @param name the canonical camelCase name
 * @param type the value type
 * @param defaultValue the default, or {@code null} for an optional parameter with no default
 * @param min the smallest allowed value (numeric types)
 * @param max the largest allowed value (numeric types)
 * @param aliases other accepted names
 * @param description what the parameter does
 */
public record ParameterSpec(String name, Type type, Object defaultValue, double min, double max,
    List<String> aliases, String description, List<String> choices) {

  /** Parameter value types. */
  public enum Type {
    /**
     * A whole number that fits an {@code int}.
     */
    INT,
    /**
     * A whole number that fits a {@code long}.
     */
    LONG,
    /**
     * A finite floating-point number.
     */
    DOUBLE,
    /**
     * {@code true} or {@code false}.
     */
    BOOLEAN,
    /**
     * One word of a fixed set ({@link ParameterSpec#choices()}), matched ignoring case.
     */
    CHOICE
  }

  /**
   * Checks the components and copies {@code aliases}.
   *
   * @param name the canonical camelCase name
   * @param type the value type
   * @param defaultValue the default, or {@code null} for an optional parameter with no default
   * @param min the smallest allowed value (numeric types)
   * @param max the largest allowed value (numeric types)
   * @param aliases other accepted names
   * @param description what the parameter does
   * @param choices the allowed words of a {@link Type#CHOICE} parameter, lower case; empty otherwise
   * @throws IllegalArgumentException if {@code min > max}
   * @throws NullPointerException if {@code name}, {@code type}, {@code description} or {@code aliases} is null
   */
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(description, "description");
    aliases = ImmutableList.copyOf(aliases);
    choices = ImmutableList.copyOf(choices);
    checkArgument(min <= max, "min %s > max %s for %s", min, max, name);
    checkArgument((type == Type.CHOICE) != choices.isEmpty(), "%s: choices go with type CHOICE only", name);
  }

  /**
   * This spec with another default.
   *
   * @param defaultValue the default, or {@code null} for none
   * @return a spec equal to this one but for its default
   */
  public ParameterSpec withDefault(Object defaultValue) {
    return new ParameterSpec(name, type, defaultValue, min, max, aliases, description, choices);
  }

  /**
   * An int parameter in {@code [min, max]}; {@code defaultValue} null means optional.
   *
   * @param name the canonical camelCase name
   * @param defaultValue the default, or {@code null} for an optional parameter with no default
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what the parameter does, one line
   * @param aliases other accepted names
   * @return the spec
   */
  public static ParameterSpec ofInt(
      String name, Integer defaultValue, int min, int max, String description, String... aliases) {
    return new ParameterSpec(name, Type.INT, defaultValue, min, max, List.of(aliases), description, List.of());
  }

  /**
   * A long parameter in {@code [min, max]}.
   *
   * @param name the canonical camelCase name
   * @param defaultValue the default, or {@code null} for an optional parameter with no default
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what the parameter does, one line
   * @param aliases other accepted names
   * @return the spec
   */
  public static ParameterSpec ofLong(
      String name, Long defaultValue, long min, long max, String description, String... aliases) {
    return new ParameterSpec(name, Type.LONG, defaultValue, min, max, List.of(aliases), description, List.of());
  }

  /**
   * A double parameter in {@code [min, max]}.
   *
   * @param name the canonical camelCase name
   * @param defaultValue the default, or {@code null} for an optional parameter with no default
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @param description what the parameter does, one line
   * @param aliases other accepted names
   * @return the spec
   */
  public static ParameterSpec ofDouble(
      String name, Double defaultValue, double min, double max, String description, String... aliases) {
    return new ParameterSpec(name, Type.DOUBLE, defaultValue, min, max, List.of(aliases), description, List.of());
  }

  /**
   * A boolean parameter.
   *
   * @param name the canonical camelCase name
   * @param defaultValue the default, or {@code null} for an optional parameter with no default
   * @param description what the parameter does, one line
   * @param aliases other accepted names
   * @return the spec
   */
  public static ParameterSpec ofBoolean(String name, Boolean defaultValue, String description, String... aliases) {
    return new ParameterSpec(name, Type.BOOLEAN, defaultValue, 0, 1, List.of(aliases), description, List.of());
  }

  /**
   * A parameter taking one word of {@code choices}, matched ignoring case.
   *
   * @param name the canonical camelCase name
   * @param defaultValue the default, one of {@code choices}
   * @param choices the allowed words, lower case
   * @param description what the parameter does, one line
   * @param aliases other accepted names
   * @return the spec
   */
  public static ParameterSpec ofChoice(
      String name, String defaultValue, List<String> choices, String description, String... aliases) {
    checkArgument(choices.contains(defaultValue), "default %s of %s is not one of %s", defaultValue, name, choices);
    return new ParameterSpec(name, Type.CHOICE, defaultValue, 0, 0, List.of(aliases), description, choices);
  }

  /**
   * Whether {@code candidate} names this parameter (ignoring case, {@code _} and {@code -}).
   *
   * @param candidate a name as a user wrote it
   * @return whether it is the name or one of the aliases
   */
  public boolean matches(String candidate) {
    String key = normalize(candidate);
    if (normalize(name).equals(key)) {
      return true;
    }
    for (String alias : aliases) {
      if (normalize(alias).equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The allowed range as text, for messages and help: {@code [1, 512]}.
   *
   * @return {@code [min, max]} for numbers (whole numbers for INT and LONG), {@code true or false} for BOOLEAN,
   *     {@code one of none, sq8} for CHOICE
   */
  public String range() {
    switch (type) {
      case BOOLEAN:
        return "true or false";
      case CHOICE:
        return "one of " + String.join(", ", choices);
      case DOUBLE:
        return "[" + min + ", " + max + "]";
      default:
        return "[" + (long) min + ", " + (long) max + "]";
    }
  }

  /**
   * The form names are matched in: lower case, without {@code _} and {@code -}.
   *
   * @param name a parameter or knob name
   * @return the name in matching form, for example {@code efconstruction} for {@code ef_construction}
   */
  public static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }
}
