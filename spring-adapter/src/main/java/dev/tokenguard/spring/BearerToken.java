package dev.tokenguard.spring;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * An authentication request made of a bearer token, for TokenGuard's authentication managers when Spring's resource
 * server (whose {@code BearerTokenAuthenticationToken} they also take) is not in use. Its {@code toString()} and
 * {@link #getPrincipal()} never show the token.
 */
public final class BearerToken extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;
  private static final String SPRING_BEARER_TOKEN =
      "org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken";

  private final String token;

  /** @param token the token, without the {@code Bearer } prefix */
  public BearerToken(String token) {
    super(List.of());
    this.token = token;
  }

  /** The token itself. */
  @Override
  public String getCredentials() {
    return token;
  }

  @Override
  public Object getPrincipal() {
    return "bearer token";
  }

  @Override
  public String toString() {
    return "BearerToken [token hidden]";
  }

  /** The token {@code authentication} carries, or {@code null} when it is no bearer token request. */
  static String of(Authentication authentication) {
    boolean bearer = authentication instanceof BearerToken
        || (authentication != null && SPRING_BEARER_TOKEN.equals(authentication.getClass().getName()));
    return bearer && authentication.getCredentials() instanceof String token && !token.isEmpty() ? token : null;
  }
}
