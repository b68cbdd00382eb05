package dev.tokenguard.it.spring.app;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.it.EchoResponse;
import dev.tokenguard.rules.PathRule;
import dev.tokenguard.servlet.TokenGuardFilter;
import dev.tokenguard.spring.RequiresPermission;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Echoes the caller as the application sees it, with the permission annotations under test. */
@RestController
public class EchoController {

  @RequestMapping(path = {"/api/**", "/public/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
  public String echo(HttpServletRequest request, @AuthenticationPrincipal TokenPrincipal principal) {
    return render(request, principal);
  }

  @GetMapping(path = "/api/annotated/requires", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission("orders:write")
  public String requires(HttpServletRequest request, @AuthenticationPrincipal TokenPrincipal principal) {
    return render(request, principal);
  }

  @GetMapping(path = "/api/annotated/any", produces = MediaType.APPLICATION_JSON_VALUE)
  @RequiresPermission(value = {"orders:write", "orders:admin"}, match = PathRule.Match.ANY)
  public String any(HttpServletRequest request, @AuthenticationPrincipal TokenPrincipal principal) {
    return render(request, principal);
  }

  @GetMapping(path = "/api/annotated/preauthorize", produces = MediaType.APPLICATION_JSON_VALUE)
  @PreAuthorize("hasAuthority('orders:write')")
  public String preAuthorize(HttpServletRequest request, @AuthenticationPrincipal TokenPrincipal principal) {
    return render(request, principal);
  }

  static String render(HttpServletRequest request, TokenPrincipal principal) {
    return EchoResponse.render(request.getRequestURI(), request.getDispatcherType().name(), principal,
        request.getRemoteUser(), request.getAuthType(), request::isUserInRole,
        request.getAttribute(TokenGuardFilter.PRINCIPAL_ATTRIBUTE), request.getSession(false) != null);
  }
}
