package dev.tokenguard.jwt;

import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * A compact JWS split into its three parts, each checked to be strict base64url (RFC 7515 §2, RFC 4648 §5):
 * only {@code A-Z a-z 0-9 - _}, no padding, no whitespace, and no non-zero unused bits in the last character,
 * so exactly one encoding of a signature is accepted.
 *
 * <p>The token is copied to bytes once; each part is checked and decoded from them in one pass, and the signing input is
 * their first part: no substring or intermediate copy of a part is made (the payload is most of an access token's
 * kilobyte).
 *
 * @param header the decoded header bytes
 * @param payload the decoded payload bytes
 * @param signature the decoded signature bytes
 * @param signingInput the ASCII bytes {@code header.payload} as they appeared in the token
 * @param encodedHeader the header part as it appeared in the token
 */
record CompactJws(byte[] header, byte[] payload, byte[] signature, byte[] signingInput, String encodedHeader) {

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
    if (first == 0) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the JOSE header is empty");
    }
    if (second == token.length() - 1) {
      throw new InvalidTokenException(RejectionReason.MALFORMED, "the signature is missing; unsigned tokens are never accepted");
    }
    // One copy of the text as bytes: a character above U+00FF becomes '?' and one in U+0080..U+00FF a negative byte,
    // so any character outside base64url stays outside it and is refused by decode below, as it would be in the text.
    byte[] text = token.getBytes(StandardCharsets.ISO_8859_1);
    byte[] header = decode("header", token, text, 0, first);
    byte[] payload = decode("payload", token, text, first + 1, second);
    byte[] signature = decode("signature", token, text, second + 1, text.length);
    return new CompactJws(header, payload, signature, Arrays.copyOf(text, second), token.substring(0, first));
  }

  /** Decodes {@code text[from, to)}, the bytes of {@code token}'s part, as strict base64url, four characters at a time. */
  private static byte[] decode(String part, String token, byte[] text, int from, int to) {
    int length = to - from;
    int rem = length % 4;
    if (rem == 1) {
      throw notStrict(part, token.substring(from, to));
    }
    byte[] out = new byte[length / 4 * 3 + (rem == 0 ? 0 : rem - 1)];
    int o = 0;
    int i = from;
    for (int whole = to - rem; i < whole; i += 4) {
      int a = VALUES[text[i] & 0xFF];
      int b = VALUES[text[i + 1] & 0xFF];
      int c = VALUES[text[i + 2] & 0xFF];
      int d = VALUES[text[i + 3] & 0xFF];
      if ((a | b | c | d) < 0) {
        throw notStrict(part, token.substring(from, to));
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (rem > 0) {
      int a = VALUES[text[i] & 0xFF];
      int b = VALUES[text[i + 1] & 0xFF];
      int c = rem == 3 ? VALUES[text[i + 2] & 0xFF] : 0;
      int unused = rem == 2 ? b & 0xF : c & 0x3; // the bits past the last whole byte must be zero (canonical form)
      if ((a | b | c) < 0 || unused != 0) {
        throw notStrict(part, token.substring(from, to));
      }
      int bits = a << 18 | b << 12 | c << 6;
      out[o++] = (byte) (bits >> 16);
      if (rem == 3) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  private static InvalidTokenException notStrict(String part, String text) {
    return new InvalidTokenException(RejectionReason.MALFORMED, "the " + part + " is not strict base64url: " + strictBase64UrlProblem(text));
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

  /** The value of each byte in base64url (RFC 4648 §5), -1 for the others. */
  private static final int[] VALUES = new int[256];

  static {
    java.util.Arrays.fill(VALUES, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = i;
    }
  }

  private static int value(char c) {
    return c < 256 ? VALUES[c] : -1;
  }
}
