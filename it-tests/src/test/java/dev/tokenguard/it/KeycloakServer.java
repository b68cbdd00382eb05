package dev.tokenguard.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Keycloak on 127.0.0.1, unpacked by Maven from {@code org.keycloak:keycloak-quarkus-dist} and started in
 * dev mode with the {@code shop} realm imported from {@code keycloak/shop-realm.json}.
 */
final class KeycloakServer implements AutoCloseable {
  static final String REALM = "shop";
  static final String CLIENT_ID = "tokenguard-it";
  static final String CLIENT_SECRET = "it-secret";

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  KeycloakServer() throws Exception {
    String home = System.getProperty("tokenguard.keycloak.home");
    if (home == null || !Files.isExecutable(Path.of(home, "bin", "kc.sh"))) {
      throw new IllegalStateException("Keycloak is not unpacked at " + home + " (the it-tests build unpacks it)");
    }
    Path database = Path.of(home, "data", "h2");
    if (Files.exists(database)) { // a previous run's realm (users disabled by tests) would be kept instead of imported
      try (java.util.stream.Stream<Path> files = Files.walk(database)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
    Path import_ = Files.createDirectories(Path.of(home, "data", "import"));
    try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/shop-realm.json")) {
      Files.copy(realm, import_.resolve("shop-realm.json"), StandardCopyOption.REPLACE_EXISTING);
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    log = Files.createTempFile("keycloak", ".log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(home, "bin", "kc.sh").toString(), "start-dev",
        "--http-port=" + port, "--http-host=127.0.0.1", "--import-realm")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
    process = pb.start();
    awaitReady();
  }

  private void awaitReady() throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited: " + tail());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Keycloak did not become ready: " + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  String issuer() {
    return "http://127.0.0.1:" + port + "/realms/" + REALM;
  }

  /** An access token for a realm user (password grant of the test client). */
  String userToken(String username, String password) throws Exception {
    return tokenFrom(REALM, Map.of("grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
        "username", username, "password", password, "scope", "openid"));
  }

  /**
   * Logs {@code username} in with a wrong password {@code times} times (each refused), as an attacker guessing would;
   * with the realm's brute-force detection (failureFactor 3) that locks the user out for a while.
   */
  void failLogins(String username, int times) {
    for (int i = 0; i < times; i++) {
      try {
        userToken(username, "wrong-" + i);
        throw new AssertionError("a wrong password was accepted for " + username);
      } catch (IllegalStateException refused) {
        // 401 invalid_grant, as expected
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Disables a user through the admin API. */
  void disable(String username) throws Exception {
    String admin = tokenFrom("master", Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin",
        "password", "admin"));
    String users = "http://127.0.0.1:" + port + "/admin/realms/" + REALM + "/users";
    HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(users + "?exact=true&username=" + username))
        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    String id = (String) ((Map<?, ?>) com.nimbusds.jose.util.JSONArrayUtils.parse(found.body()).get(0)).get("id");
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(users + "/" + id))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build(), HttpResponse.BodyHandlers.ofString());
    if (put.statusCode() / 100 != 2) {
      throw new IllegalStateException("disabling " + username + " failed: " + put.statusCode() + " " + put.body());
    }
  }

  /** The realm's token endpoint: the {@code htu} of a DPoP proof for a token request. */
  String tokenEndpoint() {
    return "http://127.0.0.1:" + port + "/realms/" + REALM + "/protocol/openid-connect/token";
  }

  /** An access token for a realm user asked for with the DPoP proof {@code proof}: Keycloak binds it to the proof's key. */
  String userTokenWithDpop(String username, String password, String proof) throws Exception {
    return tokenFrom(REALM, Map.of("grant_type", "password", "client_id", CLIENT_ID, "client_secret", CLIENT_SECRET,
        "username", username, "password", password, "scope", "openid"), Map.of("DPoP", proof));
  }

  private String tokenFrom(String realm, Map<String, String> form) throws Exception {
    return tokenFrom(realm, form, Map.of());
  }

  private String tokenFrom(String realm, Map<String, String> form, Map<String, String> headers) throws Exception {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/realms/" + realm
            + "/protocol/openid-connect/token")).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("token request failed: " + r.statusCode() + " " + r.body());
    }
    return JSONObjectUtils.getString(JSONObjectUtils.parse(r.body()), "access_token");
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
