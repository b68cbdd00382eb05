package dev.tokenguard.jwks;

import java.security.Provider;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

/**
 * Who checks RSA PKCS#1 v1.5 ({@code RS256/384/512}) and ECDSA ({@code ES256/384/512}) signatures: the fastest JCA
 * provider on the class path, used only by TokenGuard and never installed for the rest of the JVM. Measured side by side
 * ({@code SignatureEngineBenchmark}, BENCHMARKS.md), in the same order on JDK 17 and JDK 25:
 * <ul>
 *   <li>the Amazon Corretto Crypto Provider ({@code software.amazon.cryptools:AmazonCorrettoCryptoProvider}, AWS-LC
 *       in native code, Linux on x86-64 and ARM64) verifies RSA-2048 1.6 to 2 times and P-256 7 to 20 times as fast
 *       as the JDK (JDK 25 and JDK 17);</li>
 *   <li>BouncyCastle's provider ({@code org.bouncycastle:bcprov-jdk18on}, plain Java) verifies P-256 4 to 12
 *       times as fast as the JDK and RSA more slowly (0.7 to 0.9 times), so it is used for ECDSA
 *       only;</li>
 *   <li>the JDK otherwise.</li>
 * </ul>
 * Both libraries are optional dependencies. Without them, or when the Corretto provider's native library does not load
 * (another operating system, a native image) or its self-tests fail, the next engine verifies, with the same answers
 * but one: every engine answers the Wycheproof vectors as published ({@code SignatureEnginesTest}), except that the JDK
 * refuses two valid P-256 signatures with a tiny r (about 2^-128 likely from an honest signer). What an engine might
 * read differently is checked before any engine runs: {@link SignatureVerifier} requires each signature's exact length
 * and ECDSA's 0 &lt; r, s &lt; n, and {@link KeyHygiene} keys every engine takes (an RSA exponent of at most 31 bits).
 * RSA-PSS stays with the JDK. With {@code signature-engines=jdk} TokenGuard names only {@link Engine#JDK}, and neither
 * library is loaded.
 */
public final class SignatureEngines {
  /** The engines, fastest first. */
  enum Engine {
    CORRETTO("the Amazon Corretto Crypto Provider"),
    BOUNCY_CASTLE("BouncyCastle"),
    JDK("the JDK");

    final String label;

    Engine(String label) {
      this.label = label;
    }

    /** This engine's provider: loaded at the first call, so naming {@link #JDK} loads neither library. */
    private Loaded loaded() {
      return switch (this) {
        case CORRETTO -> CorrettoHolder.LOADED;
        case BOUNCY_CASTLE -> BouncyCastleHolder.LOADED;
        case JDK -> Loaded.JVM_PROVIDERS;
      };
    }

    boolean available() {
      return loaded().problem == null;
    }

    /**
     * The engine for a JCA signature algorithm ({@code SHA256withRSA}, {@code SHA256withECDSAinP1363Format}, ...).
     *
     * @throws java.security.NoSuchAlgorithmException when this engine does not have it or is not available
     */
    Signature signature(String algorithm) throws java.security.NoSuchAlgorithmException {
      Loaded l = loaded();
      if (l.problem != null) {
        throw new java.security.NoSuchAlgorithmException(label + " is not available: " + l.problem);
      }
      return l.provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, l.provider);
    }
  }

  /** A provider, or why there is none; neither for the JVM's installed providers. */
  private record Loaded(Provider provider, String problem) {
    static final Loaded JVM_PROVIDERS = new Loaded(null, null);

    static Loaded of(String className) {
      try {
        Class<?> type = Class.forName(className, true, SignatureEngines.class.getClassLoader());
        Provider p;
        if (className.startsWith("com.amazon")) {
          p = (Provider) type.getField("INSTANCE").get(null);
          // the class loads on any platform; its native library may not: then it has a loading error
          Object error = type.getMethod("getLoadingError").invoke(p);
          if (error != null) {
            return new Loaded(null, "its native library did not load (" + error + ")");
          }
          type.getMethod("assertHealthy").invoke(p); // throws when its self-tests failed
        } else {
          p = (Provider) type.getConstructor().newInstance();
        }
        // what TokenGuard asks of it, so that a provider missing one of them is never picked
        for (String algorithm : List.of("SHA256withRSA", "SHA256withECDSAinP1363Format")) {
          Signature.getInstance(algorithm, p);
        }
        return new Loaded(p, null);
      } catch (ClassNotFoundException | NoClassDefFoundError e) {
        return new Loaded(null, "not on the class path");
      } catch (java.lang.reflect.InvocationTargetException e) {
        return new Loaded(null, String.valueOf(e.getCause()));
      } catch (ReflectiveOperationException | LinkageError | RuntimeException | java.security.GeneralSecurityException e) {
        return new Loaded(null, String.valueOf(e));
      }
    }
  }

  private static final class CorrettoHolder {
    static final Loaded LOADED = Loaded.of("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
  }

  private static final class BouncyCastleHolder {
    static final Loaded LOADED = Loaded.of("org.bouncycastle.jce.provider.BouncyCastleProvider");
  }

  /** Who verifies RS256/384/512: BouncyCastle's RSA is no faster than the JDK's, so it is not a candidate. */
  static final Engine RSA = fastest(Engine.CORRETTO, Engine.JDK);
  /** Who verifies ES256/384/512. */
  static final Engine ECDSA = fastest(Engine.CORRETTO, Engine.BOUNCY_CASTLE, Engine.JDK);

  private SignatureEngines() {}

  private static Engine fastest(Engine... candidates) {
    return Arrays.stream(candidates).filter(Engine::available).findFirst().orElseThrow();
  }

  /**
   * For the start-up log: "RSA by the JDK, ECDSA by BouncyCastle", and why the Corretto provider is not in use when it
   * is not ("not on the class path", or why it did not load).
   */
  public static String describe() {
    String line = "RSA by " + RSA.label + ", ECDSA by " + ECDSA.label;
    return RSA == Engine.CORRETTO ? line : line + "; the Amazon Corretto Crypto Provider (software.amazon.cryptools:"
        + "AmazonCorrettoCryptoProvider, Linux), which verifies both faster: " + CorrettoHolder.LOADED.problem;
  }

  /** Whether the JDK verifies ECDSA (where the JDK refuses two valid Wycheproof vectors the other engines accept). */
  public static boolean ecdsaByTheJdk() {
    return ECDSA == Engine.JDK;
  }
}
