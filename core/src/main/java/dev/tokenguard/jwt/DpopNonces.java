package dev.tokenguard.jwt;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server nonces for DPoP proofs (RFC 9449 §8), kept in no table: a nonce is a time slot and a MAC of it under a key,
 * {@code base64url(slot || HMAC-SHA256(key, slot)[0..16])}. A nonce is accepted during its own slot and the next, so
 * between one and two {@code dpop.nonce-lifetime}s; nodes sharing {@code dpop.nonce-secret} accept each other's.
 * Thread-safe.
 */
final class DpopNonces {
  private static final int MAC_BYTES = 16;

  private final Clock clock;
  private final long slotMillis;
  private final SecretKeySpec key;

  /** @param secret the key, or {@code null} for a random one (this node only) */
  DpopNonces(byte[] secret, Duration lifetime, Clock clock) {
    byte[] k = secret;
    if (k == null) {
      k = new byte[32];
      new SecureRandom().nextBytes(k);
    }
    this.key = new SecretKeySpec(k, "HmacSHA256");
    this.slotMillis = lifetime.toMillis();
    this.clock = clock;
  }

  /** The nonce to hand out now. */
  String current() {
    return nonce(slot());
  }

  /** Whether {@code nonce} was made by this key for the current or the previous slot. */
  boolean accepts(String nonce) {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(nonce);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (bytes.length != Long.BYTES + MAC_BYTES) {
      return false;
    }
    long slot = ByteBuffer.wrap(bytes).getLong();
    long now = slot();
    return (slot == now || slot == now - 1) && MessageDigest.isEqual(Arrays.copyOfRange(bytes, Long.BYTES, bytes.length), mac(slot));
  }

  private long slot() {
    return Math.floorDiv(clock.millis(), slotMillis);
  }

  private String nonce(long slot) {
    ByteBuffer b = ByteBuffer.allocate(Long.BYTES + MAC_BYTES).putLong(slot).put(mac(slot));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private byte[] mac(long slot) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Arrays.copyOf(mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(slot).array()), MAC_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
