package io.vers.bench;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether the process's standard error is a terminal, for progress bars. Stateless. */
final class Terminal {
  /** Set by the {@code vers} launcher to {@code true} or {@code false}: the shell knows ({@code [ -t 2 ]}). */
  static final String PROPERTY = "vers.stderr.terminal";

  private Terminal() {}

  /**
   * The launcher's answer when it gave one; else whether the JVM has a console ({@link System#console()},
   * and on JDK 22 or newer {@code Console.isTerminal()}, since there a console exists even when redirected).
   */
  static boolean stderr() {
    String told = System.getProperty(PROPERTY);
    if (told != null && !told.isBlank()) {
      return Boolean.parseBoolean(told.trim());
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22: a console exists only on a terminal
    }
  }
}
