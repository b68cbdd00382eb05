package dev.tokenguard.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 with one reused {@link MessageDigest} per thread (the token cache hashes every request's token). */
public final class Sha256 {
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  });

  private Sha256() {}

  /** The SHA-256 of {@code text} in UTF-8. */
  public static byte[] of(String text) {
    return DIGEST.get().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The SHA-256 of {@code parts} in UTF-8, joined by NUL (so that no two different lists of parts collide). */
  public static byte[] ofParts(String... parts) {
    MessageDigest md = DIGEST.get();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        md.update((byte) 0);
      }
      md.update(String.valueOf(parts[i]).getBytes(StandardCharsets.UTF_8));
    }
    return md.digest();
  }
}
