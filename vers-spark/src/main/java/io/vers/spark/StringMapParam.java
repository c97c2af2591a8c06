package io.vers.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.util.Identifiable;

/**
 * A parameter holding a map from names to values as text, such as an algorithm's build parameters
 * ({@code m -> 16}); saved as a JSON object. The map is kept sorted and unmodifiable.
 */
public final class StringMapParam extends Param<Map<String, String>> {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parameter of {@code parent} named {@code name}, documented by {@code doc}. */
  public StringMapParam(Identifiable parent, String name, String doc) {
    super(parent, name, doc);
  }

  /** An unmodifiable sorted copy of {@code map}. */
  public static Map<String, String> copyOf(Map<String, ?> map) {
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      out.put(e.getKey(), String.valueOf(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public ParamPair<Map<String, String>> w(Map<String, String> value) {
    return super.w(copyOf(value));
  }

  @Override
  public String jsonEncode(Map<String, String> value) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Map<String, String> jsonDecode(String json) {
    try {
      return copyOf(JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {}));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("parameter " + name() + " is not a JSON object of strings: " + json, e);
    }
  }
}
