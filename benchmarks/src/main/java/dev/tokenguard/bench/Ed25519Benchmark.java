package dev.tokenguard.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Ed25519 verifiers a JVM application can have, side by side on the signing input of the benchmark token: the
 * JDK's own ({@code Signature "Ed25519"}, JDK 15+), Tink's ({@code subtle.Ed25519Verify}, what Nimbus' and so Spring's
 * {@code Ed25519Verifier} call) and BouncyCastle's ({@code math.ec.rfc8032.Ed25519}, with the public point decoded
 * once, as TokenGuard keeps it). Run it on each JDK: it is how TokenGuard's choice of engine is made
 * ({@code dev.tokenguard.jwks.Ed25519Engine}). {@link #setUp} proves each accepts the signature and refuses it with one bit
 * flipped.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class Ed25519Benchmark {
  byte[] message;
  byte[] signature;
  byte[] publicKey;
  Signature jdk;
  com.google.crypto.tink.subtle.Ed25519Verify tink;
  org.bouncycastle.math.ec.rfc8032.Ed25519.PublicPoint point;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    message = ValidationBenchmark.signingInputOf("EdDSA");
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(keys.getPrivate());
    signer.update(message);
    signature = signer.sign();
    byte[] spki = keys.getPublic().getEncoded();
    publicKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(keys.getPublic());
    tink = new com.google.crypto.tink.subtle.Ed25519Verify(publicKey);
    point = org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFullExport(publicKey, 0);
    byte[] flipped = signature.clone();
    flipped[5] ^= 1;
    if (!jdk() || !tink() || !bouncyCastle()) {
      throw new IllegalStateException("a verifier refused a valid signature");
    }
    byte[] good = signature;
    signature = flipped;
    boolean jdkAccepts;
    try {
      jdkAccepts = jdk();
    } catch (java.security.SignatureException refused) { // the JDK throws for an R that is not a point
      jdkAccepts = false;
      jdk.initVerify(keys.getPublic());
    }
    if (jdkAccepts || tink() || bouncyCastle()) {
      throw new IllegalStateException("a verifier accepted a changed signature");
    }
    signature = good;
  }


  @Benchmark
  public boolean jdk() throws Exception {
    jdk.update(message);
    return jdk.verify(signature);
  }

  @Benchmark
  public boolean tink() {
    try {
      tink.verify(signature, message);
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  @Benchmark
  public boolean bouncyCastle() {
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, point, message, 0, message.length);
  }
}
