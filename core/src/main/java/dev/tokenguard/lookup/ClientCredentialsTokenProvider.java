package dev.tokenguard.lookup;

import dev.tokenguard.internal.JsonObjects;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.shared.SharedTier;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A management-API token from the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), cached until
 * {@value #EARLY_REFRESH_SECONDS} s before it expires (half its lifetime for short-lived tokens). One thread
 * fetches while the others wait for its result; a 401 from the API drops the cached token once. With a shared
 * tier the token is shared by the fleet under {@code mgmt-token:<hash of URL, client and parameters>} as
 * {@code {"v":1,"token":...,"refreshAt":<ms>}}, so nodes do not each ask the token endpoint (some providers count
 * those requests against a quota).
 */
final class ClientCredentialsTokenProvider implements CredentialProvider {
  static final long EARLY_REFRESH_SECONDS = 60;

  private final ApiClient api;
  private final URI tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final boolean basicAuth;
  private final Map<String, String> extraParameters;
  private final Clock clock;
  private volatile Cached cached;
  private final SharedTier tier;
  private final String sharedKey;

  private record Cached(String token, Instant refreshAt) {}

  /**
   * @param basicAuth {@code client_secret_basic} when true, else {@code client_secret_post}
   * @param extraParameters form parameters such as {@code audience}, {@code resource}, {@code scope}
   */
  ClientCredentialsTokenProvider(ApiClient api, URI tokenUrl, String clientId, String clientSecret, boolean basicAuth,
      Map<String, String> extraParameters, Clock clock) {
    this(api, tokenUrl, clientId, clientSecret, basicAuth, extraParameters, clock, null);
  }

  /** As above, sharing the token through {@code tier} when it is not null. */
  ClientCredentialsTokenProvider(ApiClient api, URI tokenUrl, String clientId, String clientSecret, boolean basicAuth,
      Map<String, String> extraParameters, Clock clock, SharedTier tier) {
    this.tier = tier;
    this.sharedKey = "mgmt-token:" + SharedTier.hashed(tokenUrl.toString(), clientId, clientSecret, extraParameters.toString());
    this.api = api;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.basicAuth = basicAuth;
    this.extraParameters = new LinkedHashMap<>(extraParameters);
    this.clock = clock;
  }

  @Override
  public String authorization(String userToken) throws UserLookupException {
    Cached c = cached;
    if (c != null && clock.instant().isBefore(c.refreshAt())) {
      return "Bearer " + c.token();
    }
    synchronized (this) {
      c = cached;
      if (c != null && clock.instant().isBefore(c.refreshAt())) {
        return "Bearer " + c.token();
      }
      c = tier == null ? null : decode(tier.get(sharedKey));
      if (c == null || !clock.instant().isBefore(c.refreshAt())) {
        c = fetch();
        if (tier != null) {
          tier.put(sharedKey, encode(c), Duration.between(clock.instant(), c.refreshAt()));
        }
      }
      cached = c;
      return "Bearer " + c.token();
    }
  }

  @Override
  public boolean invalidate() {
    Cached c = cached;
    cached = null;
    if (tier != null && c != null) {
      tier.removeIfEquals(sharedKey, encode(c)); // a token the API refused is no use to the other nodes either
    }
    return true;
  }

  private static String encode(Cached c) {
    Map<String, Object> m = new LinkedHashMap<>(); // one order, so removeIfEquals finds the same text
    m.put("v", 1);
    m.put("token", c.token());
    m.put("refreshAt", c.refreshAt().toEpochMilli());
    return JSONObjectUtils.toJSONString(m);
  }

  private static Cached decode(String json) {
    if (json == null) {
      return null;
    }
    try {
      Map<String, Object> m = JsonObjects.parse(json);
      if (m.get("v") instanceof Long v && v == 1 && m.get("token") instanceof String token && m.get("refreshAt") instanceof Long at) {
        return new Cached(token, Instant.ofEpochMilli(at));
      }
    } catch (java.text.ParseException e) {
      // another format: fetch our own
    }
    return null;
  }

  private Cached fetch() throws UserLookupException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    Map<String, String> headers = Map.of();
    if (basicAuth) {
      String pair = urlEncode(clientId) + ":" + urlEncode(clientSecret);
      headers = Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.put("client_id", clientId);
      form.put("client_secret", clientSecret);
    }
    form.putAll(extraParameters);
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(urlEncode(k)).append('=').append(urlEncode(v)));
    ApiClient.ApiRequest request = new ApiClient.ApiRequest("POST", tokenUrl, "application/x-www-form-urlencoded",
        body.toString(), headers);
    ApiClient.ApiResponse r = api.call(request, CredentialProvider.NONE, null);
    if (!r.ok()) {
      throw api.error(r, "the token endpoint " + tokenUrl);
    }
    try {
      Map<String, Object> json = JsonObjects.parse(r.body());
      String token = JSONObjectUtils.getString(json, "access_token");
      if (token == null || token.isBlank()) {
        throw new java.text.ParseException("no access_token", 0);
      }
      long expiresIn = json.get("expires_in") instanceof Number n ? n.longValue() : 300;
      long early = expiresIn > 2 * EARLY_REFRESH_SECONDS ? EARLY_REFRESH_SECONDS : expiresIn / 2;
      return new Cached(token, clock.instant().plus(Duration.ofSeconds(expiresIn - early)));
    } catch (java.text.ParseException e) {
      throw new UserLookupException(api.provider(), r.status(), "malformed_token_response",
          "the token endpoint " + tokenUrl + " answered without a usable access_token", null, null, e);
    }
  }

  /** RFC 6749 §2.3.1 form-encodes client id and secret before Basic encoding; the same encoding serves the body. */
  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
