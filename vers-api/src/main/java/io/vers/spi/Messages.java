package io.vers.spi;

/** Text from untrusted input made fit for exception messages. For vers's own modules; no compatibility promise. */
public final class Messages {
  private Messages() {}

  /**
   * A string read from a file, fit for a message: in single quotes, at most 80 characters, with quotes,
   * backslashes, control, format and line-separator characters escaped (a newline as backslash-n, others as
   * backslash-u and four hex digits), so
   * a hostile file cannot forge log lines or send terminal escapes through an exception message.
   *
   * @param text a string from an untrusted source
   * @return the quoted, escaped form
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder("'");
    int shown = Math.min(text.length(), 80);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\':
        case '\'':
          out.append('\\').append(c);
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          int type = Character.getType(c);
          if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append(text.length() > shown ? "'..." : "'").toString();
  }
}
