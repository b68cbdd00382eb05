package dev.tokenguard.jwks;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Who checks Ed25519 signatures (JWS {@code EdDSA}/{@code Ed25519}): the fastest engine on the class path. Measured
 * side by side ({@code Ed25519Benchmark}, BENCHMARKS.md), on JDK 17 and JDK 25 alike, BouncyCastle's
 * {@code math.ec.rfc8032.Ed25519} verifies about 7 times as fast as the JDK's own {@code Signature "Ed25519"} and Tink's
 * {@code subtle.Ed25519Verify} about 3 times; each of the three passes every Wycheproof Ed25519 vector
 * ({@code Ed25519EnginesTest}). So: BouncyCastle ({@code org.bouncycastle:bcprov-jdk18on}) when present, else Tink
 * ({@code com.google.crypto.tink:tink}, which Nimbus users add for EdDSA) when present, else the JDK. Both libraries
 * are optional dependencies: without them EdDSA tokens are accepted and refused exactly as with them, only more
 * slowly.
 *
 * <p>A key that is not the encoding of a point on the curve is refused when the key set is read, whichever engine runs:
 * {@link SignatureVerifier} makes one JDK engine for every key, and the JDK decodes the point then.
 */
public final class Ed25519Engines {
  /** Checks signatures of one key; thread-safe. */
  interface Verifier {
    /** Whether {@code signature} (64 bytes) is this key's signature of {@code message}; never throws. */
    boolean verify(byte[] message, byte[] signature);
  }

  /** The engines, fastest first. */
  enum Engine {
    BOUNCY_CASTLE("BouncyCastle", "org.bouncycastle.math.ec.rfc8032.Ed25519"),
    TINK("Tink", "com.google.crypto.tink.subtle.Ed25519Verify"),
    JDK("the JDK", null);

    final String label;
    private final String probe;

    Engine(String label, String probe) {
      this.label = label;
      this.probe = probe;
    }

    boolean available() {
      if (probe == null) {
        return true;
      }
      try {
        Class.forName(probe, false, Ed25519Engines.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }

    /**
     * A verifier for the raw 32-byte key, or {@code null} for {@link #JDK} (whose engines {@link SignatureVerifier}
     * pools).
     */
    Verifier verifier(byte[] rawKey) throws GeneralSecurityException {
      return switch (this) {
        case BOUNCY_CASTLE -> BouncyCastleEd25519.verifier(rawKey);
        case TINK -> TinkEd25519.verifier(rawKey);
        case JDK -> null;
      };
    }
  }

  static final Engine FASTEST = Arrays.stream(Engine.values()).filter(Engine::available).findFirst().orElseThrow();

  private Ed25519Engines() {}

  /** The engine in use, for the start-up log: "BouncyCastle", "Tink" or "the JDK". */
  public static String name() {
    return FASTEST.label;
  }

  /** The 32 raw bytes of an Ed25519 key: the end of its X.509 SubjectPublicKeyInfo (RFC 8410). */
  static byte[] rawKey(PublicKey key) {
    byte[] spki = key.getEncoded();
    return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
  }

  /** Loaded only when BouncyCastle is on the class path. */
  private static final class BouncyCastleEd25519 {
    static Verifier verifier(byte[] rawKey) throws GeneralSecurityException {
      org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point =
          org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyPartialExport(rawKey, 0);
      if (point == null) {
        throw new GeneralSecurityException("the Ed25519 key is not the encoding of a point on the curve");
      }
      return (message, signature) -> signature.length == 64
          && org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
    }
  }

  /** Loaded only when Tink is on the class path. */
  private static final class TinkEd25519 {
    static Verifier verifier(byte[] rawKey) {
      com.google.crypto.tink.subtle.Ed25519Verify tink = new com.google.crypto.tink.subtle.Ed25519Verify(rawKey);
      return (message, signature) -> {
        try {
          tink.verify(signature, message);
          return true;
        } catch (GeneralSecurityException | RuntimeException e) {
          return false;
        }
      };
    }
  }
}
