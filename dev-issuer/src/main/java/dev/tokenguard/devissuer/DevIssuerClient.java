package dev.tokenguard.devissuer;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;

/**
 * Tokens from a running dev issuer, for tests: {@code DevIssuerClient.token(issuer, Map.of("permissions",
 * List.of("orders:read")))}, where {@code issuer} is the configured one (in a Quarkus test,
 * {@code ConfigProvider.getConfig().getValue("quarkus.tokenguard.issuer", String.class)}, which Dev Services set).
 */
public final class DevIssuerClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private DevIssuerClient() {}

  /**
   * A token minted by the dev issuer at {@code issuer} for {@code claims} over its defaults (subject {@code dev-user},
   * audience {@value DevIssuer#AUDIENCE}, valid an hour).
   */
  public static String token(String issuer, Map<String, Object> claims) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(issuer + "/token"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSONObjectUtils.toJSONString(claims))).build();
    try {
      HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IllegalStateException("the dev issuer at " + issuer + " answered " + answer.statusCode() + ": " + answer.body());
      }
      return (String) JSONObjectUtils.parse(answer.body()).get("access_token");
    } catch (IOException e) {
      throw new UncheckedIOException("the dev issuer at " + issuer + " cannot be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ParseException e) {
      throw new IllegalStateException("the dev issuer at " + issuer + " answered no JSON", e);
    }
  }
}
