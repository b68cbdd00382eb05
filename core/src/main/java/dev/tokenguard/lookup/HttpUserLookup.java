package dev.tokenguard.lookup;

import com.nimbusds.jose.util.JSONStringUtils;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.RejectionReason;
import dev.tokenguard.UserProfile;
import dev.tokenguard.internal.JsonObjects;
import dev.tokenguard.net.IssuerDiscovery;
import dev.tokenguard.internal.Echo;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one user-lookup engine: runs a {@link ProviderSpec} (user request, envelope, extra calls for roles and
 * permissions, field mapping) with a {@link CredentialProvider} through the {@link ApiClient}. No caching and
 * no policy here: {@link CachingUserLookup} decides what a result or failure means for the request.
 * Thread-safe.
 */
final class HttpUserLookup {
  private final ProviderSpec spec;
  private final CredentialProvider credentials;
  private static final System.Logger LOG = System.getLogger(HttpUserLookup.class.getName());
  private final ApiClient api;
  private final IssuerDiscovery discovery;
  private final String discoveryIssuer;
  private volatile String userUrl;

  /** The outcome of one fetch: a profile, or "the provider does not know this user". */
  sealed interface Result permits Found, NotFound {}

  /** The user exists. */
  record Found(UserProfile profile) implements Result {}

  /** The provider answered that the user does not exist (404 or its envelope's equivalent). */
  record NotFound() implements Result {}

  /**
   * @param discovery finds {@code userinfo_endpoint} when the spec asks for discovery
   * @param discoveryIssuer the issuer whose metadata is used for discovery
   */
  HttpUserLookup(ProviderSpec spec, CredentialProvider credentials, ApiClient api, IssuerDiscovery discovery,
      String discoveryIssuer) {
    this.spec = spec;
    this.credentials = credentials;
    this.api = api;
    this.discovery = discovery;
    this.discoveryIssuer = discoveryIssuer;
    this.userUrl = spec.userUrl();
  }

  /** The preset name. */
  String provider() {
    return spec.name();
  }

  /**
   * Fetches and maps the user {@code subject}.
   *
   * @param userToken the caller's access token (sent only by the UserInfo credential)
   * @throws UserLookupException when the provider's answer cannot be used
   * @throws InvalidTokenException when the provider says the caller's own token is not valid (UserInfo 401)
   */
  Result fetch(String subject, String userToken) throws UserLookupException {
    ApiClient.ApiRequest request = userRequest(subject);
    ApiClient.ApiResponse r = api.call(request, credentials, userToken);
    if (r.status() == 404) {
      return new NotFound();
    }
    if (spec.userTokenAuth() && r.status() == 401) {
      throw new InvalidTokenException(RejectionReason.BLOCKED_USER, "the identity provider's user endpoint does not accept the token");
    }
    Object envelopeStatus = envelopeStatus(r);
    if (spec.envelope() != null && spec.envelope().notFound().equals(envelopeStatus)) {
      return new NotFound();
    }
    if (!r.ok()) {
      throw api.error(r, "the user API of " + spec.name());
    }
    Object json = parse(r, "the user API of " + spec.name());
    if (spec.envelope() != null && !spec.envelope().success().equals(envelopeStatus)) {
      throw api.error(r, "the user API of " + spec.name());
    }
    Set<String> roles = new LinkedHashSet<>();
    Set<String> permissions = new LinkedHashSet<>();
    boolean blocked = false;
    List<Object> previous = List.of();
    for (ProviderSpec.Enrichment e : spec.enrichments()) {
      if (e.target().equals(ProviderSpec.Enrichment.BLOCKED)) {
        for (Object page : enrichment(e, subject, null, userToken)) {
          blocked |= Boolean.TRUE.equals(JsonPaths.condition(page, e.items()));
        }
        continue;
      }
      Set<String> target = switch (e.target()) {
        case "roles" -> roles;
        case "permissions" -> permissions;
        default -> null; // ProviderSpec.Enrichment.IDS: a step that only finds ids for the next one
      };
      if (e.forEach() == null) {
        previous = enrichment(e, subject, null, userToken);
        if (target != null) {
          previous.forEach(page -> target.addAll(JsonPaths.strings(page, e.items())));
        }
      } else {
        Set<String> ids = new LinkedHashSet<>();
        previous.forEach(page -> ids.addAll(JsonPaths.strings(page, e.forEach())));
        for (String item : ids) {
          enrichment(e, subject, item, userToken).forEach(page -> target.addAll(JsonPaths.strings(page, e.items())));
        }
      }
    }
    return new Found(spec.fields().map(spec.name(), json, roles, permissions, blocked));
  }

  /** The pages of one enrichment's answer (one page when it is not paged). */
  private List<Object> enrichment(ProviderSpec.Enrichment e, String subject, String item, String userToken)
      throws UserLookupException {
    String url = expandUrl(e.url(), subject);
    if (item != null) {
      url = url.replace("{item}", encodePathSegment(item));
    }
    ProviderSpec.Paging paging = e.paging();
    if (paging == null) {
      return List.of(page(url, userToken).json());
    }
    List<Object> pages = new ArrayList<>();
    int read = 0;
    for (int n = 0; ; n++) {
      if (n == ProviderSpec.Paging.MAX_PAGES) {
        LOG.log(System.Logger.Level.WARNING, "the " + spec.name() + " API lists more than " + read + " " + e.target()
            + " of user '" + Echo.of(subject) + "' (" + ProviderSpec.Paging.MAX_PAGES + " pages of " + paging.size()
            + "); the rest is left out");
        return pages;
      }
      StringBuilder query = new StringBuilder(url).append(url.contains("?") ? '&' : '?')
          .append(paging.pageParam()).append('=').append(paging.firstPage() + n)
          .append('&').append(paging.sizeParam()).append('=').append(paging.size());
      paging.fixed().forEach((k, v) -> query.append('&').append(k).append('=').append(v));
      Page page = page(query.toString(), userToken);
      pages.add(page.json());
      Object entries = paging.entries().isEmpty() ? page.json() : JsonPaths.value(page.json(), paging.entries());
      int count = entries instanceof List<?> list ? list.size() : 0;
      read += count;
      Long total = total(page, paging);
      if (count < paging.size() || total != null && read >= total) {
        return pages;
      }
    }
  }

  /** One answer and its headers. */
  private record Page(Object json, java.net.http.HttpHeaders headers) {}

  private Page page(String url, String userToken) throws UserLookupException {
    ApiClient.ApiResponse r = api.call(ApiClient.ApiRequest.get(URI.create(url)), credentials, userToken);
    if (!r.ok()) {
      throw api.error(r, "the user API of " + spec.name());
    }
    return new Page(parse(r, "the user API of " + spec.name()), r.headers());
  }

  /** The total number of entries a page announces, or {@code null}. */
  private static Long total(Page page, ProviderSpec.Paging paging) {
    String text = paging.totalHeader() != null ? page.headers().firstValue(paging.totalHeader()).orElse(null)
        : paging.totalPath() != null ? JsonPaths.string(page.json(), paging.totalPath()) : null;
    try {
      return text == null ? null : Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private ApiClient.ApiRequest userRequest(String subject) throws UserLookupException {
    URI uri = URI.create(expandUrl(resolveUserUrl(), subject));
    if (spec.method().equals("POST")) {
      String body = spec.body() == null ? null
          : spec.body().replace("\"{sub}\"", JSONStringUtils.toJSONString(subject)).replace("{sub}", jsonInner(subject));
      return new ApiClient.ApiRequest("POST", uri, "application/json", body == null ? "" : body, java.util.Map.of());
    }
    return ApiClient.ApiRequest.get(uri);
  }

  private String resolveUserUrl() throws UserLookupException {
    String url = userUrl;
    if (!ProviderPresets.DISCOVER_USERINFO.equals(url)) {
      return url;
    }
    try {
      url = discovery.endpoint(discoveryIssuer, "userinfo_endpoint").toString();
      userUrl = url;
      return url;
    } catch (IOException e) {
      throw new UserLookupException(spec.name(), 0, "discovery_failed", e.getMessage(), null, null, e);
    }
  }

  private static String expandUrl(String template, String subject) {
    return template.replace("{sub}", encodePathSegment(subject));
  }

  private Object envelopeStatus(ApiClient.ApiResponse r) {
    if (spec.envelope() == null) {
      return null;
    }
    try {
      return JsonPaths.value(JsonObjects.parse(r.body()), spec.envelope().statusPath());
    } catch (ParseException | RuntimeException e) {
      return null;
    }
  }

  private Object parse(ApiClient.ApiResponse r, String what) throws UserLookupException {
    try {
      return JsonObjects.parseObjectOrArray(r.body());
    } catch (ParseException | RuntimeException e) {
      throw new UserLookupException(spec.name(), r.status(), "malformed_response",
          what + " answered HTTP " + r.status() + " with a body that is not JSON", null, null, e);
    }
  }

  /** Percent-encodes everything but RFC 3986 unreserved characters: {@code auth0|123} becomes {@code auth0%7C123}. */
  static String encodePathSegment(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return sb.toString();
  }

  private static String jsonInner(String s) {
    String quoted = JSONStringUtils.toJSONString(s);
    return quoted.substring(1, quoted.length() - 1);
  }
}
