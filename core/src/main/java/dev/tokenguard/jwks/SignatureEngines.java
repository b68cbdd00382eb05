package dev.tokenguard.jwks;

import java.security.Provider;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

/**
 * Who checks RSA PKCS#1 v1.5 ({@code RS256/384/512}) and ECDSA ({@code ES256/384/512}) signatures: the fastest JCA
 * provider on the class path, used only by TokenGuard and never installed for the rest of the JVM. Measured side by side
 * ({@code SignatureEngineBenchmark}, BENCHMARKS.md), on JDK 17 and JDK 25 alike:
 * <ul>
 *   <li>the Amazon Corretto Crypto Provider ({@code software.amazon.cryptools:AmazonCorrettoCryptoProvider}, AWS-LC
 *       in native code, Linux on x86-64 and ARM64) verifies RSA-2048 about twice and P-256 about 10 to 20 times as fast
 *       as the JDK;</li>
 *   <li>BouncyCastle's provider ({@code org.bouncycastle:bcprov-jdk18on}, plain Java) verifies P-256 about 2 to 5
 *       times as fast as the JDK and RSA no faster (its RSA is the JDK's {@code BigInteger}), so it is used for ECDSA
 *       only;</li>
 *   <li>the JDK otherwise.</li>
 * </ul>
 * Both libraries are optional dependencies. Without them, or when the Corretto provider's native library does not load
 * (another operating system, a native image), the JDK verifies, with the same answers: every engine passes the same
 * Wycheproof vectors ({@code SignatureEnginesTest}), and {@link SignatureVerifier} checks the signature's length and
 * ECDSA's range of r and s itself, before any engine runs. RSA-PSS stays with the JDK.
 */
public final class SignatureEngines {
  /** The engines, fastest first. */
  enum Engine {
    CORRETTO("the Amazon Corretto Crypto Provider", "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider"),
    BOUNCY_CASTLE("BouncyCastle", "org.bouncycastle.jce.provider.BouncyCastleProvider"),
    JDK("the JDK", null);

    final String label;
    private final String className;
    /** This engine's provider; null for the JDK (the JVM's provider list) and for an engine that is not available. */
    private final Provider provider;

    Engine(String label, String className) {
      this.label = label;
      this.className = className;
      this.provider = className == null ? null : load(className);
    }

    boolean available() {
      return className == null || provider != null;
    }

    /**
     * The engine for a JCA signature algorithm ({@code SHA256withRSA}, {@code SHA256withECDSAinP1363Format}, ...).
     *
     * @throws java.security.NoSuchAlgorithmException when this engine does not have it or is not available
     */
    Signature signature(String algorithm) throws java.security.NoSuchAlgorithmException {
      if (className == null) {
        return Signature.getInstance(algorithm);
      }
      if (provider == null) {
        throw new java.security.NoSuchAlgorithmException(label + " is not available");
      }
      return Signature.getInstance(algorithm, provider);
    }

    private static Provider load(String className) {
      try {
        Class<?> type = Class.forName(className, true, SignatureEngines.class.getClassLoader());
        Provider p;
        if (className.startsWith("com.amazon")) {
          p = (Provider) type.getField("INSTANCE").get(null);
          // the class loads on any platform; its native library may not: then it has a loading error
          if (type.getMethod("getLoadingError").invoke(p) != null) {
            return null;
          }
        } else {
          p = (Provider) type.getConstructor().newInstance();
        }
        // what TokenGuard asks of it, so that a provider missing one of them is never picked
        for (String algorithm : List.of("SHA256withRSA", "SHA256withECDSAinP1363Format")) {
          Signature.getInstance(algorithm, p);
        }
        return p;
      } catch (ReflectiveOperationException | LinkageError | RuntimeException | java.security.GeneralSecurityException e) {
        return null;
      }
    }
  }

  /** Who verifies RS256/384/512: BouncyCastle's RSA is no faster than the JDK's, so it is not a candidate. */
  static final Engine RSA = fastest(Engine.CORRETTO, Engine.JDK);
  /** Who verifies ES256/384/512. */
  static final Engine ECDSA = fastest(Engine.CORRETTO, Engine.BOUNCY_CASTLE, Engine.JDK);

  private SignatureEngines() {}

  private static Engine fastest(Engine... candidates) {
    return Arrays.stream(candidates).filter(Engine::available).findFirst().orElseThrow();
  }

  /** For the start-up log: "RSA by the JDK, ECDSA by BouncyCastle". */
  public static String describe() {
    return "RSA by " + RSA.label + ", ECDSA by " + ECDSA.label;
  }

  /** Who verifies ECDSA: "the Amazon Corretto Crypto Provider", "BouncyCastle" or "the JDK". */
  public static String ecdsa() {
    return ECDSA.label;
  }

  /** Whether RSA and ECDSA are verified by the fastest engine TokenGuard knows (else the start-up log says how). */
  public static boolean fastestInUse() {
    return RSA == Engine.CORRETTO && ECDSA == Engine.CORRETTO;
  }
}
