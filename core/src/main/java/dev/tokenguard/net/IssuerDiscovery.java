package dev.tokenguard.net;

import dev.tokenguard.internal.JsonObjects;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds an issuer's {@code jwks_uri} (or another endpoint of its metadata): first OpenID Connect Discovery
 * ({@code {issuer}/.well-known/openid-configuration}), then OAuth 2.0 Authorization Server Metadata (RFC 8414:
 * {@code /.well-known/oauth-authorization-server} inserted before the issuer's path, then appended). The
 * document's {@code issuer} must equal the configured issuer exactly, and {@code jwks_uri} must pass
 * {@link UrlPolicy}.
 */
public final class IssuerDiscovery {
  private final DocumentFetcher fetcher;

  /** @param fetcher fetches the metadata documents */
  public IssuerDiscovery(DocumentFetcher fetcher) {
    this.fetcher = fetcher;
  }

  /** The metadata URLs tried for {@code issuer}, in order. */
  public static List<URI> metadataUrls(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    URI uri = URI.create(base);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String origin = uri.getScheme() + "://" + uri.getRawAuthority();
    Set<URI> urls = new LinkedHashSet<>();
    urls.add(URI.create(base + "/.well-known/openid-configuration"));
    urls.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
    urls.add(URI.create(base + "/.well-known/oauth-authorization-server"));
    return new ArrayList<>(urls);
  }

  /**
   * Discovers the JWKS URL of {@code issuer}.
   *
   * @throws IOException naming every URL tried and why each failed
   */
  public URI jwksUri(String issuer) throws IOException {
    return endpoint(issuer, "jwks_uri");
  }

  /**
   * Discovers one endpoint URL of {@code issuer}'s metadata, such as {@code jwks_uri} or
   * {@code userinfo_endpoint}; it must pass {@link UrlPolicy}.
   *
   * @throws DocumentFetcher.FetchException naming every URL tried and why each failed
   */
  public URI endpoint(String issuer, String field) throws IOException {
    List<String> failures = new ArrayList<>();
    List<DocumentFetcher.FetchException> fetchFailures = new ArrayList<>();
    for (URI url : metadataUrls(issuer)) {
      try {
        Map<String, Object> doc = JsonObjects.parse(fetcher.get(url));
        Object declared = doc.get("issuer");
        if (!issuer.equals(declared)) {
          failures.add(url + " declares issuer '" + declared + "', expected '" + issuer + "'");
          continue;
        }
        Object value = doc.get(field);
        if (!(value instanceof String s)) {
          failures.add(url + " has no " + field);
          continue;
        }
        String problem = UrlPolicy.problemWith(s);
        if (problem != null) {
          failures.add(url + ": " + field + " " + problem);
          continue;
        }
        return URI.create(s);
      } catch (java.text.ParseException e) {
        failures.add(url + " is not a JSON object (" + e.getMessage() + ")");
      } catch (DocumentFetcher.FetchException e) {
        failures.add(e.getMessage());
        fetchFailures.add(e);
      }
    }
    String message = "discovery for issuer " + issuer + " failed: " + String.join("; ", failures);
    boolean sameProblem = fetchFailures.size() == failures.size()
        && fetchFailures.stream().map(DocumentFetcher.FetchException::problem).distinct().count() == 1;
    throw failure(sameProblem ? fetchFailures.get(0) : null, message);
  }

  /**
   * The failure of a discovery: when every URL failed the same way (the server is down, say), that way; else
   * {@link DocumentFetcher.Problem#UNUSABLE_METADATA}.
   */
  private static DocumentFetcher.FetchException failure(DocumentFetcher.FetchException common, String message) {
    return common != null
        ? new DocumentFetcher.FetchException(common.problem(), message, common.status(), common)
        : new DocumentFetcher.FetchException(DocumentFetcher.Problem.UNUSABLE_METADATA, message, 0, null);
  }
}
