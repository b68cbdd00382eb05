package dev.tokenguard.jwt;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.internal.Echo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The claim checks of RFC 7519 §4.1 and RFC 9068, each one static method that throws
 * {@link InvalidTokenException} saying what was expected and what was found. Stricter than a plain Nimbus
 * {@code DefaultJWTClaimsVerifier}: dates must be JSON numbers in the range 0..{@value #MAX_NUMERIC_DATE}
 * (a huge {@code nbf} cannot wrap into the past), {@code iat} may not lie in the future, a {@code null}
 * required claim counts as missing, {@code aud} elements must be strings, and {@code sub} must be a string that is
 * not blank.
 */
final class ClaimChecks {
  /** 9999-12-31T23:59:59Z: the largest accepted NumericDate. */
  public static final long MAX_NUMERIC_DATE = 253_402_300_799L;

  private ClaimChecks() {}

  /** The {@code iss} claim, which must be a string equal to one of {@code trusted}. */
  public static String issuer(Map<String, Object> claims, Collection<String> trusted) {
    Object iss = claims.get("iss");
    if (iss == null) {
      throw new InvalidTokenException(RejectionReason.WRONG_ISSUER, "the token has no issuer (iss)");
    }
    if (!(iss instanceof String s)) {
      throw new InvalidTokenException(RejectionReason.WRONG_ISSUER, "the issuer (iss) must be a string, but is " + jsonType(iss));
    }
    if (!trusted.contains(s)) {
      throw new InvalidTokenException(RejectionReason.WRONG_ISSUER, "the issuer (iss) is '" + Echo.of(s)
          + "', which is not a trusted issuer"); // the client learns no configured issuer (a SaaS's customers, say)
    }
    return s;
  }

  /** {@code exp} is present and {@code now} is not later than it plus {@code skew}. Returns it. */
  public static Instant notExpired(Map<String, Object> claims, Instant now, Duration skew) {
    Instant exp = numericDate(claims, "exp");
    if (exp == null) {
      throw new InvalidTokenException(RejectionReason.MISSING_CLAIM, "the token has no expiry (exp)");
    }
    if (now.isAfter(exp.plus(skew))) {
      throw new InvalidTokenException(RejectionReason.EXPIRED, "the token expired at " + exp + " (now " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", clock skew " + skew.toSeconds() + "s)");
    }
    return exp;
  }

  /** {@code nbf}, when present, is not later than {@code now} plus {@code skew}. */
  public static void notBefore(Map<String, Object> claims, Instant now, Duration skew) {
    Instant nbf = numericDate(claims, "nbf");
    if (nbf != null && nbf.isAfter(now.plus(skew))) {
      throw new InvalidTokenException(RejectionReason.NOT_YET_VALID, "the token is not valid before " + nbf + " (now " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", clock skew " + skew.toSeconds() + "s)");
    }
  }

  /** {@code iat}, when present, is not later than {@code now} plus {@code skew}. */
  public static void notIssuedInFuture(Map<String, Object> claims, Instant now, Duration skew) {
    Instant iat = numericDate(claims, "iat");
    if (iat != null && iat.isAfter(now.plus(skew))) {
      throw new InvalidTokenException(RejectionReason.NOT_YET_VALID, "the token was issued in the future at " + iat + " (now " + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", clock skew " + skew.toSeconds() + "s)");
    }
  }

  /** When {@code accepted} is not empty, {@code aud} (string or array of strings) contains one of them. */
  public static List<String> audience(Map<String, Object> claims, Set<String> accepted) {
    List<String> audiences = audiences(claims);
    if (accepted.isEmpty()) {
      return audiences;
    }
    if (audiences.isEmpty()) {
      throw new InvalidTokenException(RejectionReason.WRONG_AUDIENCE, "the token has no audience (aud); expected one of " + accepted);
    }
    for (String a : audiences) {
      if (accepted.contains(a)) {
        return audiences;
      }
    }
    throw new InvalidTokenException(RejectionReason.WRONG_AUDIENCE, "the audience (aud) is " + Echo.of(audiences) + ", expected one of " + accepted);
  }

  /** The {@code aud} claim as a list; throws when it is neither a string nor an array of strings. */
  public static List<String> audiences(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    if (aud == null) {
      return List.of();
    }
    if (aud instanceof String s) {
      return List.of(s);
    }
    if (aud instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw new InvalidTokenException(RejectionReason.MALFORMED, "the audience (aud) must hold only strings, but holds " + jsonType(o));
        }
        out.add(s);
      }
      return out;
    }
    throw new InvalidTokenException(RejectionReason.MALFORMED, "the audience (aud) must be a string or an array of strings, but is " + jsonType(aud));
  }

  /** Each named claim is present and not {@code null}. */
  public static void required(Map<String, Object> claims, Collection<String> names) {
    for (String name : names) {
      if (ClaimPaths.read(claims, name) == null) {
        throw new InvalidTokenException(RejectionReason.MISSING_CLAIM, "the required claim '" + name + "' is missing");
      }
    }
  }

  /**
   * The claim, when present, is a string that is not blank; returns it or {@code null}. Blank means empty or
   * only white space ({@link #isBlank}): such a {@code sub} or principal name would make the caller {@code " "}.
   */
  public static String optionalString(Map<String, Object> claims, String name) {
    Object v = claims.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the claim '" + name + "' must be a non-empty string, but is " + jsonType(v));
    }
    if (isBlank(s)) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the claim '" + name + "' must be a non-empty string, but is "
          + (s.isEmpty() ? "empty" : "only white space"));
    }
    return s;
  }

  /**
   * Whether {@code s} is empty or holds only white space: Java white space ({@link Character#isWhitespace}) and
   * Unicode space separators ({@link Character#isSpaceChar}, which adds the no-break spaces that
   * {@link String#isBlank} lets through).
   */
  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
        return false; // nearly always at the first character
      }
      i += Character.charCount(c);
    }
    return true;
  }

  /** The claim is present and a non-blank string ({@link #optionalString}). */
  public static String requiredString(Map<String, Object> claims, String name) {
    String s = optionalString(claims, name);
    if (s == null) {
      throw new InvalidTokenException(RejectionReason.MISSING_CLAIM, "the claim '" + name + "', used as the principal name, is missing");
    }
    return s;
  }

  /**
   * Reads a NumericDate (RFC 7519 §2): a JSON number, possibly fractional, in 0..{@value #MAX_NUMERIC_DATE}.
   * Returns {@code null} when the claim is absent or null.
   */
  static Instant numericDate(Map<String, Object> claims, String name) {
    Object v = claims.get(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the claim '" + name + "' must be a number of seconds since 1970, but is " + jsonType(v));
    }
    double d = n.doubleValue();
    if (Double.isNaN(d) || d < 0 || d > MAX_NUMERIC_DATE) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the claim '" + name + "' is " + n + ", outside the range 0.." + MAX_NUMERIC_DATE);
    }
    long seconds = n.longValue();
    return Instant.ofEpochSecond(seconds);
  }

  static String jsonType(Object v) {
    if (v == null) return "null";
    if (v instanceof String) return "a string";
    if (v instanceof Number) return "a number";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof List) return "an array";
    if (v instanceof Map) return "an object";
    return "a " + v.getClass().getSimpleName();
  }
}
