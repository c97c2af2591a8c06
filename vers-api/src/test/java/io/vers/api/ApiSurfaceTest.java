package io.vers.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The application API stays small and speaks only JDK types: every public type of {@code io.vers.api}
 * (its subpackages are the test kit, not shipped) exposes only {@code java.*} and {@code io.vers.api}
 * types in its public and protected signatures.
 */
class ApiSurfaceTest {
  private static final int MAX_PUBLIC_TYPES = 24;

  @Test
  void thePublicTypesAreFewAndUseOnlyJdkAndApiTypes() throws Exception {
    List<Class<?>> types = publicApiTypes();
    TreeSet<String> names = new TreeSet<>();
    for (Class<?> type : types) {
      if (type.getEnclosingClass() == null) {
        names.add(type.getSimpleName());
      }
    }
    assertTrue(names.size() <= MAX_PUBLIC_TYPES, names.size() + " public types: " + names);
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : types) {
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m.getModifiers()) && !m.isSynthetic()) {
          check(type + "." + m.getName() + " returns", m.getGenericReturnType(), leaks);
          for (Type p : m.getGenericParameterTypes()) {
            check(type + "." + m.getName() + " takes", p, leaks);
          }
          for (Type e : m.getGenericExceptionTypes()) {
            check(type + "." + m.getName() + " throws", e, leaks);
          }
        }
      }
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c.getModifiers())) {
          for (Type p : c.getGenericParameterTypes()) {
            check(type + " constructor takes", p, leaks);
          }
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f.getModifiers())) {
          check(type + "." + f.getName(), f.getGenericType(), leaks);
        }
      }
      check(type + " extends", type.getGenericSuperclass(), leaks);
      for (Type i : type.getGenericInterfaces()) {
        check(type + " implements", i, leaks);
      }
    }
    assertEquals(List.of(), leaks);
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(String where, Type type, List<String> leaks) {
    if (type == null) {
      return;
    }
    if (type instanceof Class<?>) {
      Class<?> c = (Class<?>) type;
      while (c.isArray()) {
        c = c.getComponentType();
      }
      String name = c.getName();
      if (!c.isPrimitive() && !name.startsWith("java.") && !name.startsWith("io.vers.api.")) {
        leaks.add(where + " " + name);
      }
    } else if (type instanceof ParameterizedType) {
      ParameterizedType p = (ParameterizedType) type;
      check(where, p.getRawType(), leaks);
      for (Type a : p.getActualTypeArguments()) {
        check(where, a, leaks);
      }
    } else if (type instanceof GenericArrayType) {
      check(where, ((GenericArrayType) type).getGenericComponentType(), leaks);
    } else if (type instanceof WildcardType) {
      for (Type b : ((WildcardType) type).getUpperBounds()) {
        check(where, b, leaks);
      }
      for (Type b : ((WildcardType) type).getLowerBounds()) {
        check(where, b, leaks);
      }
    } else if (type instanceof TypeVariable<?>) {
      for (Type b : ((TypeVariable<?>) type).getBounds()) {
        check(where, b, leaks);
      }
    }
  }

  /** The public top-level and nested types compiled into {@code io/vers/api} (not its subpackages). */
  private static List<Class<?>> publicApiTypes() throws Exception {
    Path classes = Path.of(Index.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = classes.resolve("io/vers/api");
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".class") || name.equals("package-info.class")) {
          continue;
        }
        Class<?> type = Class.forName("io.vers.api." + name.substring(0, name.length() - 6));
        if (Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass() && !type.isSynthetic()) {
          types.add(type);
        }
      }
    }
    assertTrue(types.contains(Index.class));
    return types;
  }
}
