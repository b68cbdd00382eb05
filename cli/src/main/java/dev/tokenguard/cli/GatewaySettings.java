package dev.tokenguard.cli;

import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.http.IdentityHeaders;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway's own keys, which only {@code tokenguard serve} reads (the adapters pass no headers on), taken out of the
 * properties before core reads the rest: which identity headers it sets ({@code identity-headers},
 * {@code identity-headers.map}, {@code identity-headers.separator}: {@link IdentityHeaders#configured}) and whether the
 * client's {@code Authorization} header goes on to the upstream ({@code upstream.forward-authorization}, default true).
 *
 * @param identity the identity headers
 * @param forwardAuthorization whether the upstream receives the client's {@code Authorization} header
 */
record GatewaySettings(IdentityHeaders identity, boolean forwardAuthorization) {
  static final String IDENTITY_HEADERS = "identity-headers";
  static final String IDENTITY_HEADERS_MAP = "identity-headers.map";
  static final String IDENTITY_HEADERS_SEPARATOR = "identity-headers.separator";
  static final String FORWARD_AUTHORIZATION = "upstream.forward-authorization";
  /** Every key of the gateway's own. */
  static final List<String> KEYS = List.of(IDENTITY_HEADERS, IDENTITY_HEADERS_MAP, IDENTITY_HEADERS_SEPARATOR, FORWARD_AUTHORIZATION);

  /** The gateway's settings in {@code props}, which loses those keys. */
  static GatewaySettings take(Map<String, String> props) {
    String preset = blankToNull(props.remove(IDENTITY_HEADERS));
    String map = blankToNull(props.remove(IDENTITY_HEADERS_MAP));
    String separator = blankToNull(props.remove(IDENTITY_HEADERS_SEPARATOR));
    String forward = blankToNull(props.remove(FORWARD_AUTHORIZATION));
    List<String> entries = map == null ? List.of()
        : Arrays.stream(map.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
    boolean forwardAuthorization = true;
    if (forward != null) {
      String f = forward.toLowerCase(Locale.ROOT);
      if (!f.equals("true") && !f.equals("false")) {
        throw new TokenGuardConfigException(FORWARD_AUTHORIZATION, "expected true or false, but was '" + forward + "'");
      }
      forwardAuthorization = f.equals("true");
    }
    return new GatewaySettings(IdentityHeaders.configured(preset, entries, separator), forwardAuthorization);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
