package dev.tokenguard.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JCA providers a JVM application can verify RS256 and ES256 with, side by side on the signing input of the
 * benchmark token: the JDK's own, BouncyCastle's ({@code bcprov-jdk18on}, plain Java) and the Amazon Corretto Crypto
 * Provider (AWS-LC, native). Each is an initialised {@link Signature} used again and again, as TokenGuard pools them.
 * Run it on each JDK: it is how TokenGuard's choice of engine is made ({@code dev.tokenguard.jwks.SignatureEngines}),
 * and the JDK's row is what every peer verifies with. {@link #setUp} proves each accepts the signature and refuses it
 * with one bit flipped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SignatureEngineBenchmark {
  @Param({"RS256", "ES256"})
  String alg;

  byte[] message;
  byte[] signature;
  Signature jdk;
  Signature bouncyCastle;
  Signature corretto;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    boolean rsa = alg.equals("RS256");
    String name = rsa ? "SHA256withRSA" : "SHA256withECDSAinP1363Format";
    KeyPairGenerator g = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
    if (rsa) {
      g.initialize(2048);
    } else {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    }
    KeyPair keys = g.generateKeyPair();
    message = ValidationBenchmark.signingInputOf(alg);
    Signature signer = Signature.getInstance(name);
    signer.initSign(keys.getPrivate());
    signer.update(message);
    signature = signer.sign();
    Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider").getField("INSTANCE").get(null);
    if (accp.getClass().getMethod("getLoadingError").invoke(accp) != null) {
      throw new IllegalStateException("the Corretto provider's native library did not load");
    }
    jdk = Signature.getInstance(name);
    bouncyCastle = Signature.getInstance(name, new org.bouncycastle.jce.provider.BouncyCastleProvider());
    corretto = Signature.getInstance(name, accp);
    for (Signature s : new Signature[] {jdk, bouncyCastle, corretto}) {
      s.initVerify(keys.getPublic());
    }
    if (!jdkProvider() || !bouncyCastleProvider() || !correttoProvider()) {
      throw new IllegalStateException("a provider refused a valid signature");
    }
    byte[] good = signature;
    signature = good.clone();
    signature[5] ^= 1;
    if (jdkProvider() || bouncyCastleProvider() || correttoProvider()) {
      throw new IllegalStateException("a provider accepted a changed signature");
    }
    signature = good;
  }

  @Benchmark
  public boolean jdkProvider() throws Exception {
    jdk.update(message);
    return jdk.verify(signature);
  }

  @Benchmark
  public boolean bouncyCastleProvider() throws Exception {
    bouncyCastle.update(message);
    return bouncyCastle.verify(signature);
  }

  @Benchmark
  public boolean correttoProvider() throws Exception {
    corretto.update(message);
    return corretto.verify(signature);
  }
}
