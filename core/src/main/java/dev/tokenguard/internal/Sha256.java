package dev.tokenguard.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 with reused {@link MessageDigest}s from a {@link Pool} (the token cache hashes every request's token signature,
 * and a server may run each request on a new virtual thread).
 *
 * <p>Text is hashed as its UTF-8 bytes when it is well-formed UTF-16, which is every string Java code normally
 * meets; a string with a lone surrogate (JSON allows {@code "\ud800"}, and a token's {@code sub} can carry one) is
 * hashed as its generalized UTF-8 (WTF-8: each lone surrogate as its own three bytes) instead of
 * {@link String#getBytes}' {@code ?} for it, so {@code "a\uD800"} and {@code "a?"} never share a hash, a
 * shared-cache key or a profile. Well-formed UTF-8 never holds those three-byte sequences, so no two different
 * strings hash the same bytes, and the hash of every well-formed string, and hence every key a running fleet holds,
 * is what it was. This is done here rather than by refusing such subjects at token validation because a key
 * function must not rely on each caller having validated its input: subjects, revocation entries and management
 * credentials all become keys through it.
 */
public final class Sha256 {
  private static final Pool<MessageDigest> DIGESTS = new Pool<>();

  private Sha256() {}

  /** The SHA-256 of {@code text} in UTF-8 (lone surrogates as in the class comment). */
  public static byte[] of(String text) {
    byte[] bytes = bytes(text);
    return of(bytes, 0, bytes.length);
  }

  /** The SHA-256 of {@code bytes[from, to)}. */
  public static byte[] of(byte[] bytes, int from, int to) {
    MessageDigest md = digest();
    md.update(bytes, from, to - from);
    return done(md);
  }

  /**
   * The SHA-256 of {@code parts} in UTF-8 (lone surrogates as in the class comment), joined by NUL, so that no two
   * different lists of parts collide as long as no part but the last holds a NUL (an issuer or URL does not).
   */
  public static byte[] ofParts(String... parts) {
    MessageDigest md = digest();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        md.update((byte) 0);
      }
      md.update(bytes(String.valueOf(parts[i])));
    }
    return done(md);
  }

  private static MessageDigest digest() {
    MessageDigest md = DIGESTS.take();
    if (md != null) {
      return md;
    }
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The hash, and the digest (reset by {@code digest()}) back to the pool: not reached when an update threw. */
  private static byte[] done(MessageDigest md) {
    byte[] hash = md.digest();
    DIGESTS.give(md);
    return hash;
  }

  /**
   * The bytes {@link #of(String)} hashes: UTF-8 when {@code text} is well-formed UTF-16, else generalized UTF-8 (WTF-8).
   * Different strings always give different bytes.
   */
  static byte[] bytes(String text) {
    byte[] latin1 = text.getBytes(StandardCharsets.ISO_8859_1); // a plain copy when every character is below U+0100
    if (asciiWithoutQuestionMark(latin1)) {
      // Only ASCII text gives such bytes ('?' stands for every character it cannot encode), and its UTF-8 is the same
      // bytes: a token, a subject or a URL takes this path, without the scan for surrogates below.
      return latin1;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return generalizedUtf8(text);
        }
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;
  private static final long QUESTION_MARKS = '?' * ONES;

  /** Whether every byte is below 0x80 and none is '?': eight bytes at a time (a token is a kilobyte). */
  private static boolean asciiWithoutQuestionMark(byte[] bytes) {
    int i = 0;
    for (int whole = bytes.length & ~7; i < whole; i += 8) {
      long word = (long) LONGS.get(bytes, i);
      long marks = word ^ QUESTION_MARKS; // a zero byte where the byte was '?'
      if ((word & HIGH_BITS) != 0 || ((marks - ONES) & ~marks & HIGH_BITS) != 0) {
        return false;
      }
    }
    for (; i < bytes.length; i++) {
      if (bytes[i] < 0 || bytes[i] == '?') {
        return false;
      }
    }
    return true;
  }

  /** UTF-8 for every code point, with a lone surrogate encoded like any other code point below U+10000. */
  private static byte[] generalizedUtf8(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 3);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i); // a lone surrogate comes back as itself
      i += Character.charCount(cp);
      if (cp < 0x80) {
        out.write(cp);
      } else if (cp < 0x800) {
        out.write(0xC0 | cp >> 6);
        out.write(0x80 | cp & 0x3F);
      } else if (cp < 0x10000) {
        out.write(0xE0 | cp >> 12);
        out.write(0x80 | cp >> 6 & 0x3F);
        out.write(0x80 | cp & 0x3F);
      } else {
        out.write(0xF0 | cp >> 18);
        out.write(0x80 | cp >> 12 & 0x3F);
        out.write(0x80 | cp >> 6 & 0x3F);
        out.write(0x80 | cp & 0x3F);
      }
    }
    return out.toByteArray();
  }
}
