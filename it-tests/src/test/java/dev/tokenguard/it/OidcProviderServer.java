package dev.tokenguard.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.testing.JwksServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OAuth 2.0 authorization server on 127.0.0.1: the npm package oidc-provider (installed by the it-tests build)
 * with opaque access tokens, RFC 7662 introspection and RFC 7009 revocation. Tokens are minted by a test-only grant
 * for any subject, scope and audience; client {@code orders-api} (client_secret_basic) and {@code orders-api-post}
 * (client_secret_post) may introspect.
 */
public final class OidcProviderServer implements AutoCloseable {
  public static final String CLIENT_BASIC = "orders-api";
  public static final String SECRET_BASIC = "orders-secret";
  public static final String CLIENT_POST = "orders-api-post";
  public static final String SECRET_POST = "post-secret";
  private static final String MINTER = "Basic " + Base64.getEncoder().encodeToString("minter:minter-secret".getBytes(StandardCharsets.UTF_8));

  private final Process node;
  private final String issuer;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Client {@code orders-api-jwt} authenticates with private_key_jwt, its public keys given as JWKS JSON. */
  public static final String CLIENT_KEY_JWT = "orders-api-jwt";

  public OidcProviderServer() throws IOException {
    this(null);
  }

  /** @param privateKeyJwtJwks the public JWKS of client {@link #CLIENT_KEY_JWT}, or {@code null} for no such client */
  public OidcProviderServer(String privateKeyJwtJwks) throws IOException {
    Path script = NodeScript.prepare("oidc-provider", "oidc-provider-server.mjs");
    Path dir = script.getParent();
    ProcessBuilder pb = new ProcessBuilder("node", script.toString(), Integer.toString(JwksServer.freePort()))
        .directory(dir.toFile()).redirectError(dir.resolve("server.log").toFile()); // stderr (development warnings, failures)
    if (privateKeyJwtJwks != null) {
      pb.environment().put("PRIVATE_KEY_JWT_JWKS", privateKeyJwtJwks);
    }
    node = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
      // skip anything printed before the server listens
    }
    if (line == null) {
      throw new IOException("oidc-provider did not start; see " + dir.resolve("server.log"));
    }
    issuer = line.substring("READY ".length()).trim();
  }

  /** The issuer URL (also its base URL). */
  public String issuer() {
    return issuer;
  }

  /** An opaque access token for {@code sub} with {@code scope} for {@code audience}, valid {@code ttlSeconds}. */
  public String token(String sub, String scope, String audience, long ttlSeconds) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "urn:tokenguard:test:token");
    form.put("sub", sub);
    form.put("scope", scope);
    form.put("audience", audience);
    form.put("ttl", Long.toString(ttlSeconds));
    return (String) post("/token", form).get("access_token");
  }

  /** The token endpoint, which a DPoP proof for a token request names as its {@code htu}. */
  public String tokenEndpoint() {
    return issuer + "/token";
  }

  /**
   * An access token of client {@code dpop-client} (client credentials) asked for with the DPoP proof {@code proof}, so the
   * server binds it to the proof's key; returns the answer's {@code access_token} and {@code token_type}.
   */
  public Map<String, Object> dpopToken(String proof) {
    return post("/token", Map.of("grant_type", "client_credentials"),
        Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString("dpop-client:dpop-secret".getBytes(StandardCharsets.UTF_8)),
            "DPoP", proof));
  }

  /** Revokes {@code token} at the server (RFC 7009). */
  public void revoke(String token) {
    post("/token/revocation", Map.of("token", token));
  }

  private Map<String, Object> post(String path, Map<String, String> form) {
    return post(path, form, Map.of("Authorization", MINTER));
  }

  private Map<String, Object> post(String path, Map<String, String> form, Map<String, String> headers) {
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(issuer + path))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      headers.forEach(b::header);
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
      }
      return r.body().isEmpty() ? Map.of() : JSONObjectUtils.parse(r.body());
    } catch (IOException | java.text.ParseException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    node.destroy();
    try {
      if (!node.waitFor(5, TimeUnit.SECONDS)) {
        node.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
