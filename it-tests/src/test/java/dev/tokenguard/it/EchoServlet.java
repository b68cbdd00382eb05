package dev.tokenguard.it;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The protected application (Jakarta): {@code /api/async} re-dispatches asynchronously to {@code /api/me},
 * {@code /api/fail} throws so the container runs an error dispatch, everything else echoes the caller.
 */
public class EchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (path.equals("/api/async") && req.getDispatcherType() == jakarta.servlet.DispatcherType.REQUEST) {
      AsyncContext async = req.startAsync();
      async.dispatch("/api/me");
      return;
    }
    if (path.equals("/api/fail")) {
      throw new IllegalStateException("the application failed");
    }
    String body = EchoResponse.render(path, req.getDispatcherType().name(), req.getUserPrincipal(), req.getRemoteUser(),
        req.getAuthType(), req::isUserInRole, req.getAttribute("dev.tokenguard.principal"), req.getSession(false) != null);
    res.setContentType("application/json");
    res.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
