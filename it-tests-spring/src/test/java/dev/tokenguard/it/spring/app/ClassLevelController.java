package dev.tokenguard.it.spring.app;

import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.spring.RequiresPermission;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@link RequiresPermission} on the class: every method needs it. */
@RestController
@RequiresPermission("reports:read")
public class ClassLevelController {

  @GetMapping(path = "/api/reports", produces = MediaType.APPLICATION_JSON_VALUE)
  public String reports(HttpServletRequest request, @AuthenticationPrincipal TokenPrincipal principal) {
    return EchoController.render(request, principal);
  }
}
