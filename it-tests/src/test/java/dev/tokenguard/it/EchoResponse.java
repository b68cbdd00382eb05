package dev.tokenguard.it;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.TokenPrincipal;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the test application answers: the caller as the framework exposes it, so scenarios can assert what an
 * application sees. Servlet-API free, so the jakarta and javax servlets (and later other adapters) share it.
 */
public final class EchoResponse {
  private EchoResponse() {}

  /** The JSON body for one request. */
  public static String render(String path, String dispatch, Principal principal, String remoteUser, String authType,
      Predicate<String> inRole, Object attribute, boolean sessionExists) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("path", path);
    out.put("dispatch", dispatch);
    out.put("remoteUser", remoteUser);
    out.put("authType", authType);
    out.put("principalIsTokenPrincipal", principal instanceof TokenPrincipal);
    out.put("attributeIsPrincipal", attribute != null && attribute == principal);
    out.put("inRoleAdmin", inRole.test("admin"));
    out.put("inRoleReader", inRole.test("reader"));
    out.put("session", sessionExists);
    if (principal instanceof TokenPrincipal p) {
      out.put("subject", p.subject());
      out.put("issuer", p.issuer());
      out.put("binding", p.binding().name());
      out.put("permissions", p.permissions().stream().sorted().toList());
      out.put("roles", p.roles().stream().sorted().toList());
      out.put("profileEmail", p.profile().map(dev.tokenguard.UserProfile::email).orElse(null));
    }
    return JSONObjectUtils.toJSONString(out);
  }
}
