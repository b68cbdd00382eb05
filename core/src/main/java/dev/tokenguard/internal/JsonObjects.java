package dev.tokenguard.internal;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses untrusted text that must be a JSON object, strictly by RFC 8259: no comments, no single quotes, no
 * unquoted names, no trailing commas, no text after the object, no unescaped control characters in strings, no
 * {@code NaN}/{@code Infinity} (nor a number too large for a double), no duplicate member names (which would let two
 * readers of the same token see different claims), and at most {@value #MAX_DEPTH} levels of nesting. Digits, hex
 * digits and white space are the ASCII ones of the RFC's grammar only, never their Unicode look-alikes.
 *
 * <p>Values come out as Nimbus' own JSON utilities produce them, so they can be handed to Nimbus: objects as
 * {@code Map<String, Object>} (member order kept), arrays as {@code List<Object>}, strings, {@code Boolean},
 * {@code null}, integers that fit as {@code Long} and every other number as {@code Double}. It refuses what Nimbus'
 * {@code JSONObjectUtils} refuses (checked by {@code JsonObjectsFuzzTest}; Nimbus 10.10 is strict too, nesting up to a
 * few hundred levels) and replaces it on TokenGuard's hot path because it is cheaper: in JFR profiles of the
 * uncached benchmark the payload's parse time roughly halved.
 */
public final class JsonObjects {
  /** Deeper nesting is refused, so no input can exhaust the stack. */
  public static final int MAX_DEPTH = 64;

  private JsonObjects() {}

  /** The JSON object in {@code text}. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String text) throws ParseException {
    return (Map<String, Object>) document(text, false);
  }

  /**
   * The JSON object in {@code text}, unmodifiable all the way down (objects {@link #isFrozen frozen}, arrays
   * unmodifiable lists): a token's claims, which a cached principal shares between requests and hands to applications.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseFrozen(String text) throws ParseException {
    Parser p = new Parser(text);
    p.frozen = true;
    return (Map<String, Object>) p.document(false);
  }

  /** Whether {@code map} is an object {@link #parseFrozen} made: no one holds a way to change it. */
  public static boolean isFrozen(Map<?, ?> map) {
    return map instanceof Frozen;
  }

  /** The JSON object ({@code Map}) or array ({@code List}) in {@code text}: a provider API's answer. */
  public static Object parseObjectOrArray(String text) throws ParseException {
    return document(text, true);
  }

  private static Object document(String text, boolean arrayAllowed) throws ParseException {
    return new Parser(text).document(arrayAllowed);
  }

  /** An object of {@link #parseFrozen}: its members can be read, never changed. */
  private static final class Frozen extends java.util.AbstractMap<String, Object> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final LinkedHashMap<String, Object> members;

    Frozen(LinkedHashMap<String, Object> members) {
      this.members = members;
    }

    @Override public Object get(Object key) { return members.get(key); }
    @Override public boolean containsKey(Object key) { return members.containsKey(key); }
    @Override public boolean containsValue(Object value) { return members.containsValue(value); }
    @Override public int size() { return members.size(); }
    @Override public boolean isEmpty() { return members.isEmpty(); }
    @Override public Object getOrDefault(Object key, Object fallback) { return members.getOrDefault(key, fallback); }
    @Override public void forEach(java.util.function.BiConsumer<? super String, ? super Object> action) { members.forEach(action); }
    @Override public java.util.Set<String> keySet() { return java.util.Collections.unmodifiableSet(members.keySet()); }
    @Override public java.util.Collection<Object> values() { return java.util.Collections.unmodifiableCollection(members.values()); }
    @Override public java.util.Set<Entry<String, Object>> entrySet() {
      return java.util.Collections.unmodifiableMap(members).entrySet();
    }
  }

  private static final class Parser {
    private final String s;
    private int pos;
    private boolean frozen;

    Parser(String s) {
      this.s = s;
    }

    Object document(boolean arrayAllowed) throws ParseException {
      skipWhitespace();
      char first = pos < s.length() ? s.charAt(pos) : 0;
      if (first != '{' && !(arrayAllowed && first == '[')) {
        throw new ParseException(arrayAllowed ? "neither a JSON object nor an array" : "not a JSON object", pos);
      }
      Object document = value(0);
      skipWhitespace();
      if (pos != s.length()) {
        throw error("text after the JSON " + (first == '{' ? "object" : "array"));
      }
      return document;
    }

    ParseException error(String what) {
      return new ParseException(what + " at offset " + pos, pos);
    }

    void skipWhitespace() {
      String s = this.s;
      int i = pos;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          break;
        }
        i++;
      }
      pos = i;
    }

    char next() throws ParseException {
      skipWhitespace();
      if (pos >= s.length()) {
        throw error("unexpected end of JSON");
      }
      return s.charAt(pos);
    }

    Object value(int depth) throws ParseException {
      char c = next();
      switch (c) {
        case '{': return object(depth + 1);
        case '[': return array(depth + 1);
        case '"': return string();
        case 't': return literal("true", Boolean.TRUE);
        case 'f': return literal("false", Boolean.FALSE);
        case 'n': return literal("null", null);
        default:
          if (c == '-' || c >= '0' && c <= '9') {
            return number();
          }
          throw error("unexpected character '" + Echo.of(String.valueOf(c)) + "'");
      }
    }

    Map<String, Object> object(int depth) throws ParseException {
      if (depth > MAX_DEPTH) {
        throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
      }
      pos++; // '{'
      LinkedHashMap<String, Object> m = new LinkedHashMap<>();
      if (next() == '}') {
        pos++;
        return frozen ? new Frozen(m) : m;
      }
      while (true) {
        if (next() != '"') {
          throw error("expected a member name");
        }
        String name = string();
        if (next() != ':') {
          throw error("expected ':'");
        }
        pos++;
        Object v = value(depth);
        int before = m.size();
        m.put(name, v);
        if (m.size() == before) { // the name was there already
          throw error("duplicate member '" + Echo.of(name) + "'");
        }
        char c = next();
        pos++;
        if (c == '}') {
          return frozen ? new Frozen(m) : m;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    List<Object> array(int depth) throws ParseException {
      if (depth > MAX_DEPTH) {
        throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
      }
      pos++; // '['
      List<Object> list = new ArrayList<>();
      if (next() == ']') {
        pos++;
        return frozen ? java.util.Collections.unmodifiableList(list) : list;
      }
      while (true) {
        list.add(value(depth));
        char c = next();
        pos++;
        if (c == ']') {
          return frozen ? java.util.Collections.unmodifiableList(list) : list;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    Object literal(String word, Object value) throws ParseException {
      if (!s.startsWith(word, pos)) {
        throw error("unexpected literal");
      }
      pos += word.length();
      return value;
    }

    String string() throws ParseException {
      String s = this.s;
      int start = pos + 1; // after '"'
      int i = start;
      while (i < s.length()) { // the common case: no escapes
        char c = s.charAt(i);
        if (c == '"') {
          pos = i + 1;
          return s.substring(start, i);
        }
        if (c == '\\' || c < 0x20) {
          break;
        }
        i++;
      }
      pos = i;
      StringBuilder b = new StringBuilder().append(s, start, pos);
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') {
          return b.toString();
        }
        if (c < 0x20) {
          pos--;
          throw error("unescaped control character in a string");
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (pos >= s.length()) {
          break;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"': case '\\': case '/': b.append(e); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'n': b.append('\n'); break;
          case 'r': b.append('\r'); break;
          case 't': b.append('\t'); break;
          case 'u':
            if (pos + 4 > s.length()) {
              throw error("incomplete \\u escape");
            }
            int code = 0;
            for (int k = 0; k < 4; k++) {
              int digit = hexDigit(s.charAt(pos++));
              if (digit < 0) {
                pos--;
                throw error("invalid \\u escape");
              }
              code = code * 16 + digit;
            }
            b.append((char) code);
            break;
          default:
            pos--;
            throw error("invalid escape");
        }
      }
      throw error("unterminated string");
    }

    Object number() throws ParseException {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos < s.length() && s.charAt(pos) == '0') {
        pos++;
      } else if (digits() == 0) {
        throw error("invalid number");
      }
      boolean integer = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        pos++;
        integer = false;
        if (digits() == 0) {
          throw error("invalid number");
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        pos++;
        integer = false;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (digits() == 0) {
          throw error("invalid number");
        }
      }
      if (integer && pos - start <= 18) { // at most 18 digits always fit: read in place, no text copied
        boolean negative = s.charAt(start) == '-';
        long value = 0;
        for (int i = negative ? start + 1 : start; i < pos; i++) {
          value = value * 10 + (s.charAt(i) - '0');
        }
        return negative ? -value : value;
      }
      String text = s.substring(start, pos);
      if (integer) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
          // a double, as Nimbus reads it
        }
      }
      double d = Double.parseDouble(text);
      if (Double.isInfinite(d)) {
        throw error("number too large");
      }
      return d;
    }

    /**
     * The value of an ASCII hex digit ({@code 0-9a-fA-F}), else -1. Not {@link Character#digit}, which also reads
     * fullwidth, Arabic-Indic and other Unicode digits (RFC 8259 §7: four HEXDIG, which are ASCII; Nimbus refuses
     * the others).
     */
    private static int hexDigit(char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    }

    /** Skips ASCII digits only (RFC 8259 §6 DIGIT), returning how many. */
    private int digits() {
      String s = this.s;
      int from = pos;
      int i = from;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      pos = i;
      return i - from;
    }
  }
}
