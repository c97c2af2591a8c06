package io.vers.bench.soak;

import io.vers.api.Index;
import io.vers.api.IndexSnapshot;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * An index that forwards every call to another one, except that {@link Index#withSnapshot} first runs
 * an action inside the other index's {@code withSnapshot}: at the instant the snapshot is taken, while
 * writers wait. Passing it to {@link io.vers.io.IndexIO#save(Index, java.nio.file.Path)} lets a caller
 * record the state that is being saved. Used by {@link SoakRun}.
 */
final class Capture {
  private Capture() {}

  /** Work done inside the snapshot; it may read the index but must not write it. */
  @FunctionalInterface
  interface Action {
    void run();
  }

  /** {@code index} as seen through a proxy that runs {@code atSnapshot} when a snapshot is taken. */
  static Index capturing(Index index, Action atSnapshot) {
    return (Index) Proxy.newProxyInstance(Index.class.getClassLoader(), new Class<?>[] {Index.class},
        (proxy, method, args) -> {
          if (method.getName().equals("withSnapshot") && args != null && args.length == 1) {
            @SuppressWarnings("unchecked")
            Index.SnapshotAction<Object, Exception> action = (Index.SnapshotAction<Object, Exception>) args[0];
            return index.withSnapshot((IndexSnapshot snapshot) -> {
              atSnapshot.run();
              return action.apply(snapshot);
            });
          }
          return forward(index, method, args);
        });
  }

  /** Calls {@code method} on {@code target}, rethrowing what it throws as it is. */
  static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
