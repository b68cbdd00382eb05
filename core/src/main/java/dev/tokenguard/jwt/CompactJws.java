package dev.tokenguard.jwt;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A compact JWS split into its three parts, each checked to be strict base64url (RFC 7515 §2, RFC 4648 §5):
 * only {@code A-Z a-z 0-9 - _}, no padding, no whitespace, and no non-zero unused bits in the last character,
 * so exactly one encoding of a signature is accepted.
 *
 * @param header the decoded header bytes
 * @param payload the decoded payload bytes
 * @param signature the decoded signature bytes
 * @param signingInput the ASCII bytes {@code header.payload} as they appeared in the token
 * @param encodedHeader the header part as it appeared in the token
 * @param encodedSignature the signature part as it appeared in the token
 */
record CompactJws(byte[] header, byte[] payload, byte[] signature, byte[] signingInput, String encodedHeader,
    String encodedSignature) {

  /** Whether {@code token} has the shape of a compact JWS (three parts), so the JWT path, not introspection, judges it. */
  static boolean looksLikeJws(String token) {
    int first = token.indexOf('.');
    return first > 0 && token.indexOf('.', first + 1) > first && token.indexOf('.', token.indexOf('.', first + 1) + 1) < 0;
  }

  /**
   * The issuer a five-part token (a compact JWE, such as Auth0's opaque access tokens) names in its protected header
   * (claims replicated as header parameters, RFC 7519 §5.3), or {@code null} when it is not a JWE or names none.
   */
  static String replicatedIssuer(String token) {
    int end = token.indexOf('.');
    if (end <= 0 || token.chars().filter(c -> c == '.').count() != 4) {
      return null;
    }
    try {
      Object iss = dev.tokenguard.internal.JsonObjects.parse(new String(Base64.getUrlDecoder().decode(token.substring(0, end)),
          java.nio.charset.StandardCharsets.UTF_8)).get("iss");
      return iss instanceof String s ? s : null;
    } catch (java.text.ParseException | IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code token} when it is at most {@code maxSize} bytes. */
  static String checkSize(String token, int maxSize) {
    if (token.length() > maxSize) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the token is larger than " + maxSize + " bytes");
    }
    return token;
  }

  /**
   * Splits and decodes {@code token}.
   *
   * @param maxSize the largest accepted token in bytes
   * @throws InvalidTokenException saying which part is wrong and how
   */
  public static CompactJws parse(String token, int maxSize) {
    if (token.isEmpty()) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the token is empty");
    }
    if (token.length() > maxSize) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the token has " + token.length() + " bytes, more than the limit of " + maxSize);
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
      int parts = (int) token.chars().filter(c -> c == '.').count() + 1;
      if (parts == 5) {
        throw new InvalidTokenException(RejectionReason.MALFORMED, "encrypted tokens (JWE, five parts) are not accepted; expected a signed JWT (JWS, three parts)");
      }
      throw new InvalidTokenException(RejectionReason.MALFORMED, "expected a JWS in compact form (three base64url parts separated by dots), but found " + parts + " part(s)");
    }
    String h = token.substring(0, first);
    String p = token.substring(first + 1, second);
    String s = token.substring(second + 1);
    if (h.isEmpty()) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the JOSE header is empty");
    }
    if (s.isEmpty()) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the signature is missing; unsigned tokens are never accepted");
    }
    return new CompactJws(decode("header", h), decode("payload", p), decode("signature", s),
        token.substring(0, second).getBytes(StandardCharsets.US_ASCII), h, s);
  }

  /** The header as UTF-8 text. */
  public String headerText() {
    return utf8("header", header);
  }

  /** The payload as UTF-8 text. */
  public String payloadText() {
    return utf8("payload", payload);
  }

  private static String utf8(String part, byte[] bytes) {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.US_ASCII); // nearly every token: no decoder needed
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the " + part + " is not valid UTF-8");
    }
  }

  static byte[] decode(String part, String text) {
    String problem = strictBase64UrlProblem(text);
    if (problem != null) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the " + part + " is not strict base64url: " + problem);
    }
    return Base64.getUrlDecoder().decode(text);
  }

  /** Returns why {@code text} is not canonical unpadded base64url, or {@code null} when it is. */
  static String strictBase64UrlProblem(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (value(text.charAt(i)) < 0) {
        char c = text.charAt(i);
        return c == '=' ? "padding is not allowed"
            : "character " + (c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c)) + " at position " + i + " is not allowed";
      }
    }
    int rem = text.length() % 4;
    if (rem == 1) {
      return "length " + text.length() + " is not a valid base64url length";
    }
    if (rem != 0) {
      int last = value(text.charAt(text.length() - 1));
      int unusedBits = rem == 2 ? 4 : 2;
      if ((last & ((1 << unusedBits) - 1)) != 0) {
        return "the last character has non-zero unused bits (non-canonical encoding)";
      }
    }
    return null;
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  }
}
