package dev.tokenguard;

import dev.tokenguard.internal.AddressRanges;
import dev.tokenguard.internal.Lists;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sender-constrained tokens: DPoP (RFC 9449, {@code dpop.*}) and certificate-bound tokens (RFC 8705, {@code mtls.*}).
 * A token that names a key ({@code cnf.jkt}) or a certificate ({@code cnf.x5t#S256}) passes only with a proof of
 * possession of it, whatever these keys say; {@code dpop.mode} decides, per issuer, whether the {@code DPoP} scheme is
 * accepted at all and whether unbound tokens still are.
 *
 * <p>Immutable; read from the configuration's values by {@link TokenGuardConfig#binding()}.
 */
public final class BindingSettings {
  private final List<String> algorithms;
  private final Duration proofMaxAge;
  private final long replayCacheSize;
  private final boolean nonces;
  private final byte[] nonceSecret;
  private final Duration nonceLifetime;
  private final List<String> origins;
  private final String certificateHeader;
  private final AddressRanges trustedProxies;

  /** The asymmetric algorithms a DPoP proof may use by default. */
  public static final List<String> DEFAULT_PROOF_ALGORITHMS = List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
      "RS256", "RS384", "RS512", "EdDSA");

  /** {@code dpop.mode}, per issuer. */
  public static final ConfigKey<String> DPOP_MODE = ConfigKey.choice("dpop.mode", "off", List.of("off", "allowed", "required"),
      "DPoP (RFC 9449): off (the DPoP scheme is not accepted), allowed (Bearer and DPoP), required (only DPoP-bound tokens with"
          + " a proof). A DPoP-bound token (cnf.jkt) sent as Bearer is refused in every mode.").perIssuer();
  /** {@code dpop.algorithms}. */
  public static final ConfigKey<List<String>> DPOP_ALGORITHMS = ConfigKey.of("dpop.algorithms", ConfigKey.Kind.LIST,
      DEFAULT_PROOF_ALGORITHMS, String.join(",", DEFAULT_PROOF_ALGORITHMS),
      "Asymmetric JWS algorithms a DPoP proof may be signed with; also announced in the DPoP challenge's algs.",
      (k, t) -> Lists.splitComma(t), BindingSettings::proofAlgorithms);
  /** {@code dpop.proof-max-age}. */
  public static final ConfigKey<Duration> DPOP_PROOF_MAX_AGE = ConfigKey.duration("dpop.proof-max-age", Duration.ofSeconds(60),
      Duration.ofSeconds(1), Duration.ofMinutes(10),
      "How long after its iat a DPoP proof is accepted (plus clock-skew, which also bounds an iat in the future); each proof id is remembered this long.");
  /** {@code dpop.replay-cache-size}. */
  public static final ConfigKey<Long> DPOP_REPLAY_CACHE_SIZE = ConfigKey.whole("dpop.replay-cache-size", 100_000, 1_000, 100_000_000,
      "Most DPoP proof ids remembered per node; when full, proofs older than the oldest one forgotten are refused rather than risk a replay.");
  /** {@code dpop.nonce}. */
  public static final ConfigKey<Boolean> DPOP_NONCE = ConfigKey.flag("dpop.nonce", false,
      "Require server nonces in DPoP proofs: a proof without a current one is answered 401 use_dpop_nonce with a DPoP-Nonce header.");
  /** {@code dpop.nonce-secret}. */
  public static final ConfigKey<byte[]> DPOP_NONCE_SECRET = ConfigKey.of("dpop.nonce-secret", ConfigKey.Kind.TEXT, null, null,
      "Key the nonces are made with (UTF-8 text or base64:<bytes>, at least 32 bytes); set the same on every node of a fleet. Default: random per node.",
      TokenGuardConfig::secretBytes, (k, v) -> {
        if (v.length < 32) {
          throw new TokenGuardConfigException(k, "must be at least 32 bytes, but has " + v.length);
        }
        return v.clone();
      }).asSecret();
  /** {@code dpop.nonce-lifetime}. */
  public static final ConfigKey<Duration> DPOP_NONCE_LIFETIME = ConfigKey.duration("dpop.nonce-lifetime", Duration.ofMinutes(5),
      Duration.ofSeconds(10), Duration.ofHours(1), "How long a nonce the server issued is accepted (between one and two of these periods).");
  /** {@code dpop.origins}. */
  public static final ConfigKey<List<String>> DPOP_ORIGINS = ConfigKey.of("dpop.origins", ConfigKey.Kind.LIST, List.of(), null,
      "The origins (scheme://host[:port]) a proof's htu may name; when set, the origin the host reports for the request"
          + " (from the Host header a client chooses) is not consulted. Set it to the API's public origin(s) in production.", (k, t) -> Lists.splitComma(t), BindingSettings::origins);
  /** {@code mtls.client-certificate-header}. */
  public static final ConfigKey<String> MTLS_CERTIFICATE_HEADER = ConfigKey.of("mtls.client-certificate-header", ConfigKey.Kind.TEXT,
      null, null, "Header in which a TLS-terminating proxy passes the client certificate (PEM, URL-encoded as nginx's"
          + " $ssl_client_escaped_cert, or base64 DER); believed only from mtls.trusted-proxies.", (k, t) -> t, (k, v) -> {
        if (!v.chars().allMatch(c -> c > ' ' && c < 0x7f && c != ':')) {
          throw new TokenGuardConfigException(k, "expected a header name, but was '" + v + "'");
        }
        return v;
      });
  /** {@code mtls.trusted-proxies}. */
  public static final ConfigKey<List<String>> MTLS_TRUSTED_PROXIES = ConfigKey.of("mtls.trusted-proxies", ConfigKey.Kind.LIST,
      List.of(), null, "Addresses (IP or CIDR, comma-separated) of the proxies whose mtls.client-certificate-header is believed.",
      (k, t) -> Lists.splitComma(t), (k, v) -> {
        ranges(k, v); // fails naming the key
        return List.copyOf(v);
      });

  /** Every {@code dpop.*} and {@code mtls.*} key. */
  public static final List<ConfigKey<?>> KEYS = List.of(DPOP_MODE, DPOP_ALGORITHMS, DPOP_PROOF_MAX_AGE, DPOP_REPLAY_CACHE_SIZE,
      DPOP_NONCE, DPOP_NONCE_SECRET, DPOP_NONCE_LIFETIME, DPOP_ORIGINS, MTLS_CERTIFICATE_HEADER, MTLS_TRUSTED_PROXIES);

  static BindingSettings of(KeyValues values) {
    String header = values.get(MTLS_CERTIFICATE_HEADER);
    List<String> proxies = values.get(MTLS_TRUSTED_PROXIES);
    if (header != null && proxies.isEmpty()) {
      throw new TokenGuardConfigException(MTLS_TRUSTED_PROXIES.name(), "must name the proxies that set "
          + MTLS_CERTIFICATE_HEADER.name() + " (" + header + "); a header any client can send proves no certificate");
    }
    return new BindingSettings(values, header, ranges(MTLS_TRUSTED_PROXIES.name(), proxies));
  }

  private BindingSettings(KeyValues values, String certificateHeader, AddressRanges trustedProxies) {
    this.algorithms = values.get(DPOP_ALGORITHMS);
    this.proofMaxAge = values.get(DPOP_PROOF_MAX_AGE);
    this.replayCacheSize = values.get(DPOP_REPLAY_CACHE_SIZE);
    this.nonces = values.get(DPOP_NONCE);
    this.nonceSecret = values.get(DPOP_NONCE_SECRET);
    this.nonceLifetime = values.get(DPOP_NONCE_LIFETIME);
    this.origins = values.get(DPOP_ORIGINS);
    this.certificateHeader = certificateHeader;
    this.trustedProxies = trustedProxies;
  }

  /** The asymmetric JWS algorithms a proof may be signed with ({@code dpop.algorithms}). */
  public List<String> algorithms() { return algorithms; }

  /** How long after its {@code iat} a proof is accepted; its id is remembered as long ({@code dpop.proof-max-age}). */
  public Duration proofMaxAge() { return proofMaxAge; }

  /** The most proof ids remembered per node ({@code dpop.replay-cache-size}). */
  public long replayCacheSize() { return replayCacheSize; }

  /** Whether proofs must carry a nonce this server issued ({@code dpop.nonce}). */
  public boolean nonces() { return nonces; }

  /** The nonce key shared by a fleet, or {@code null} for a random key per node ({@code dpop.nonce-secret}); a copy. */
  public byte[] nonceSecret() { return nonceSecret == null ? null : nonceSecret.clone(); }

  /** How long an issued nonce is accepted ({@code dpop.nonce-lifetime}). */
  public Duration nonceLifetime() { return nonceLifetime; }

  /** The origins a proof's {@code htu} may name, in {@link #origin} form; empty: the request's own ({@code dpop.origins}). */
  public List<String> origins() { return origins; }

  /** The header a trusted proxy passes the client certificate in, or {@code null} ({@code mtls.client-certificate-header}). */
  public String certificateHeader() { return certificateHeader; }

  /** Whether the peer {@code address} is one of {@code mtls.trusted-proxies}. */
  public boolean trustedProxy(String address) { return trustedProxies.contains(address); }

  /** Never shows the nonce secret. */
  @Override
  public String toString() {
    return "BindingSettings{dpop.algorithms=" + algorithms + ", dpop.proof-max-age=" + Durations.format(proofMaxAge)
        + ", dpop.nonce=" + nonces + (nonceSecret == null ? "" : ", dpop.nonce-secret=******") + ", dpop.origins=" + origins
        + (certificateHeader == null ? "" : ", mtls.client-certificate-header=" + certificateHeader + ", mtls.trusted-proxies="
        + trustedProxies) + "}";
  }

  private static AddressRanges ranges(String key, List<String> values) {
    try {
      return AddressRanges.parse(values);
    } catch (IllegalArgumentException e) {
      throw new TokenGuardConfigException(key, e.getMessage());
    }
  }

  private static List<String> proofAlgorithms(String key, List<String> names) {
    if (names.isEmpty()) {
      throw new TokenGuardConfigException(key, "must name at least one algorithm");
    }
    List<String> out = new ArrayList<>();
    for (String name : names) {
      String known = DEFAULT_PROOF_ALGORITHMS.stream().filter(a -> a.equalsIgnoreCase(name.trim())).findFirst().orElse(null);
      if (known == null) {
        throw new TokenGuardConfigException(key, "'" + name + "' is not an asymmetric JWS algorithm a proof may use; expected some of "
            + DEFAULT_PROOF_ALGORITHMS + (name.trim().toUpperCase(Locale.ROOT).startsWith("HS") ? " (a proof is signed with a"
            + " public key the client holds the private half of, never a shared secret)" : ""));
      }
      if (!out.contains(known)) {
        out.add(known);
      }
    }
    return List.copyOf(out);
  }

  private static List<String> origins(String key, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      URI u;
      try {
        u = new URI(v.trim());
      } catch (java.net.URISyntaxException e) {
        throw new TokenGuardConfigException(key, "'" + v + "' is not an origin; expected scheme://host[:port]");
      }
      if (!Set.of("http", "https").contains(String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT)) || u.getHost() == null
          || u.getRawUserInfo() != null || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
          || u.getRawQuery() != null || u.getRawFragment() != null) {
        throw new TokenGuardConfigException(key, "'" + v + "' is not an origin; expected scheme://host[:port] with nothing after it");
      }
      out.add(origin(u.getScheme(), u.getHost(), u.getPort()));
    }
    return List.copyOf(out);
  }

  /**
   * The origin of {@code scheme} and a {@code Host} header's value ({@code host[:port]}, an IPv6 host in brackets), or
   * {@code null} when they are not one.
   */
  public static String origin(String scheme, String hostAndPort) {
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      return null;
    }
    try {
      URI u = new URI(scheme + "://" + hostAndPort);
      return u.getHost() == null || u.getRawUserInfo() != null || !(u.getRawPath() == null || u.getRawPath().isEmpty())
          || u.getRawQuery() != null ? null : origin(scheme, u.getHost(), u.getPort());
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }

  /**
   * An origin in the one form TokenGuard compares: lower-case scheme and host, the port only when it is not the scheme's
   * default ({@code https://api.example.com}, {@code http://127.0.0.1:8080}).
   */
  public static String origin(String scheme, String host, int port) {
    String s = scheme.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]"; // an IPv6 literal as a host reports it
    }
    boolean defaultPort = port < 0 || s.equals("https") && port == 443 || s.equals("http") && port == 80;
    return s + "://" + h + (defaultPort ? "" : ":" + port);
  }
}
