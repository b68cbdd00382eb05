package dev.tokenguard.servlet;

import dev.tokenguard.http.Outcome;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes a core {@link Outcome} to a servlet response: status, headers, JSON body. Nothing else. */
public final class OutcomeWriter {
  private OutcomeWriter() {}

  /** Writes {@code outcome}; the response must not be committed yet. */
  public static void write(Outcome outcome, HttpServletResponse response) throws IOException {
    response.setStatus(outcome.status());
    outcome.headers().forEach(response::setHeader);
    byte[] body = outcome.body().getBytes(StandardCharsets.UTF_8);
    response.setContentType(Outcome.CONTENT_TYPE);
    response.setCharacterEncoding("UTF-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
