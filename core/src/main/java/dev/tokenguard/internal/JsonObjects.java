package dev.tokenguard.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Map;

/**
 * Parses untrusted text that must be a JSON object. Nimbus answers {@code null} for the text {@code null}; here
 * that is a {@link ParseException} like any other non-object, so no caller meets a null map.
 */
public final class JsonObjects {
  private JsonObjects() {}

  /** The JSON object in {@code text}. */
  public static Map<String, Object> parse(String text) throws ParseException {
    Map<String, Object> map = JSONObjectUtils.parse(text);
    if (map == null) {
      throw new ParseException("not a JSON object", 0);
    }
    return map;
  }
}
