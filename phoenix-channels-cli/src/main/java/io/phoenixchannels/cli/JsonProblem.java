package io.phoenixchannels.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What is wrong with a JSON argument, said to the person who typed it: the problem in JSON's own terms (a key needs
 * double quotes, the text ends too early, there is more after the value), where it is, and the text itself, on one
 * line. Jackson's messages name its parser's internals ({@code JsonToken}s, {@code StreamReadFeature}s, a redacted
 * source), which tell a command-line user nothing.
 */
final class JsonProblem {
  /** Longer arguments are shown as an excerpt around the problem. */
  private static final int SHOWN = 60;

  private static final Pattern UNEXPECTED = Pattern.compile("Unexpected character \\('(.+?)' \\(code \\d+\\)\\)");
  private static final Pattern UNRECOGNIZED = Pattern.compile("Unrecognized token '(.*?)'");
  private static final Pattern ESCAPE = Pattern.compile("Unrecognized character escape '(.+?)'");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*?)'");
  private static final Pattern CONTROL = Pattern.compile("\\(CTRL-CHAR, code (\\d+)\\)");

  private JsonProblem() {}

  /** An argument that holds nothing but white space. */
  static String empty() {
    return "empty; give a JSON value, e.g. {} or {\"body\":\"hi\"}";
  }

  /**
   * Text after a complete value: {@code not valid JSON: there is more after the value, at column <n> in '<text>'}.
   *
   * @param text the argument as given
   * @param end the offset where the value ended
   */
  static String trailing(String text, int end) {
    int offset = Math.min(Math.max(end, 0), text.length());
    while (offset < text.length() && Character.isWhitespace(text.charAt(offset))) {
      offset++;
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    String position = text.indexOf('\n') >= 0 ? "line " + line + ", column " + (offset - lineStart + 1)
        : "column " + (offset + 1);
    return "not valid JSON: there is more after the value (one value only; several go in [...]), at " + position
        + " in '" + shown(text, offset) + "'";
  }

  /**
   * Describes why {@code text} could not be read: {@code not valid JSON: <problem>, at column <n> in '<text>'}.
   *
   * @param text the argument as given
   * @param failure what Jackson reported
   */
  static String describe(String text, JsonProcessingException failure) {
    String where = where(text, failure.getLocation());
    return "not valid JSON: " + problem(failure) + where;
  }

  private static String problem(JsonProcessingException failure) {
    String original = failure.getOriginalMessage() == null ? "" : failure.getOriginalMessage();
    if (failure instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
      return "it ends before the value is complete (a missing }, ] or closing \"?)";
    }
    Matcher duplicate = DUPLICATE.matcher(original);
    if (duplicate.find()) {
      return "the key \"" + duplicate.group(1) + "\" appears twice";
    }
    Matcher unrecognized = UNRECOGNIZED.matcher(original);
    if (unrecognized.find()) {
      return "'" + unrecognized.group(1) + "' is not a JSON value (text needs double quotes: \""
          + unrecognized.group(1) + "\")";
    }
    Matcher escape = ESCAPE.matcher(original);
    if (escape.find()) {
      return "\\" + escape.group(1) + " is not an escape JSON knows (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)";
    }
    Matcher control = CONTROL.matcher(original);
    if (control.find()) {
      int code = Integer.parseInt(control.group(1));
      String what = code == '\n' || code == '\r' ? "a line break" : code == '\t' ? "a tab"
          : String.format("the control character U+%04X", code);
      return original.startsWith("Illegal unquoted character") ? what + " inside a string must be escaped (\\n, \\t, "
          + "\\uXXXX)" : what + " is not allowed there";
    }
    if (original.contains("Leading zeroes not allowed")) {
      return "a number cannot start with 0";
    }
    Matcher unexpected = UNEXPECTED.matcher(original);
    if (unexpected.find()) {
      String found = unexpected.group(1);
      String got = "'".equals(found) ? "a single quote (JSON strings need double quotes)" : "'" + found + "'";
      if (original.contains("double-quote to start field name")) {
        return "expected a key in double quotes, found " + got;
      }
      if (original.contains("colon to separate field name and value")) {
        return "expected ':' after the key, found " + got;
      }
      if (original.contains("comma to separate Object entries")) {
        return "expected ',' or '}', found " + got;
      }
      if (original.contains("comma to separate Array entries")) {
        return "expected ',' or ']', found " + got;
      }
      return "expected a value (\"text\", a number, {...}, [...], true, false or null), found " + got;
    }
    // Anything rarer: Jackson's own words, without its character codes.
    return original.replaceAll(" \\(code \\d+\\)", "");
  }

  /** {@code , at column C in 'TEXT'} (with the line when the text has several), the text shortened if long. */
  private static String where(String text, JsonLocation location) {
    if (location == null || location.getColumnNr() < 1) {
      return " in '" + shown(text, 0) + "'";
    }
    String[] lines = text.split("\r\n|\r|\n", -1);
    int line = Math.max(1, location.getLineNr());
    int offset = location.getColumnNr() - 1;
    for (int i = 0; i < line - 1 && i < lines.length; i++) {
      offset += lines[i].length() + 1;
    }
    String position = lines.length > 1 ? "line " + line + ", column " + location.getColumnNr()
        : "column " + location.getColumnNr();
    return ", at " + position + " in '" + shown(text, offset) + "'";
  }

  /** The text on one line (line breaks and control characters escaped), cut around {@code offset} if long. */
  private static String shown(String text, int offset) {
    String cut = text;
    if (text.length() > SHOWN) {
      int from = Math.max(0, Math.min(offset - SHOWN / 2, text.length() - SHOWN));
      cut = (from > 0 ? "..." : "") + text.substring(from, from + SHOWN) + (from + SHOWN < text.length() ? "..." : "");
    }
    StringBuilder line = new StringBuilder();
    cut.codePoints().forEach(c -> {
      switch (c) {
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            line.append(String.format("\\u%04x", c));
          } else {
            line.appendCodePoint(c);
          }
        }
      }
    });
    return line.toString();
  }
}
