package dev.tokenguard.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which URLs TokenGuard will fetch keys and metadata from: {@code https} anywhere, plain {@code http} only
 * on a loopback host ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]}). No other scheme ({@code file:},
 * {@code ftp:}, {@code jar:}), no user-info in the authority.
 */
public final class UrlPolicy {
  private UrlPolicy() {}

  /**
   * Returns the problem with {@code url}, or {@code null} when it may be fetched.
   *
   * @param url an absolute URL
   */
  public static String problemWith(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "expected an absolute https URL, but was '" + url + "' (" + e.getReason() + ")";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return "expected an absolute https URL with a host, but was '" + url + "'";
    }
    if (uri.getRawUserInfo() != null) {
      return "user information is not allowed in the URL '" + redact(uri) + "'";
    }
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && isLoopback(uri.getHost())) {
      return null;
    }
    if (scheme.equals("http")) {
      return "plain http is allowed only for loopback hosts, but the host of '" + url + "' is '" + uri.getHost() + "'";
    }
    return "expected an https URL, but the scheme of '" + url + "' is '" + scheme + "'";
  }

  /** Whether {@code host} names this machine's loopback interface, without any DNS lookup. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("[::1]") || h.equals("::1")) {
      return true;
    }
    if (!h.startsWith("127.")) {
      return false;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/...";
  }
}
