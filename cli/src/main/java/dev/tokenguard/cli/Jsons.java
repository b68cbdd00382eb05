package dev.tokenguard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.TokenPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON views of the caller for the sample API and {@code check}. */
final class Jsons {
  private Jsons() {}

  static Map<String, Object> principal(TokenPrincipal p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subject", p.subject());
    m.put("issuer", p.issuer());
    m.put("audiences", p.audiences());
    m.put("scopes", p.scopes().stream().sorted().toList());
    m.put("permissions", p.permissions().stream().sorted().toList());
    m.put("roles", p.roles().stream().sorted().toList());
    m.put("claims", p.claims());
    m.put("profile", p.profile().map(u -> u.toMap(false)).orElse(null));
    return m;
  }

  static String write(Map<String, ?> map) {
    return JSONObjectUtils.toJSONString(new LinkedHashMap<>(map));
  }
}
