package dev.tokenguard.cli;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.UserProfile;
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
    m.put("profile", p.profile().map(Jsons::profile).orElse(null));
    return m;
  }

  static Map<String, Object> profile(UserProfile u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", u.provider());
    m.put("id", u.id());
    m.put("email", u.email());
    m.put("emailVerified", u.emailVerified());
    m.put("name", u.name());
    m.put("givenName", u.givenName());
    m.put("familyName", u.familyName());
    m.put("picture", u.picture());
    m.put("roles", u.roles().stream().sorted().toList());
    m.put("permissions", u.permissions().stream().sorted().toList());
    m.put("blocked", u.blocked());
    m.put("status", u.status());
    m.put("lastLogin", u.lastLogin() == null ? null : u.lastLogin().toString());
    m.put("metadata", u.metadata());
    return m;
  }

  static String write(Map<String, ?> map) {
    return JSONObjectUtils.toJSONString(new LinkedHashMap<>(map));
  }
}
