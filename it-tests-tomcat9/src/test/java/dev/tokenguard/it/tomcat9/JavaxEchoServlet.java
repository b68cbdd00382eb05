package dev.tokenguard.it.tomcat9;

import dev.tokenguard.it.EchoResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.AsyncContext;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/** The protected application for a javax container: the same behaviour as the Jakarta EchoServlet. */
public class JavaxEchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    if (path.equals("/api/async") && req.getDispatcherType() == DispatcherType.REQUEST) {
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
