package dev.tokenguard.spring;

import dev.tokenguard.TokenPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;

/**
 * The Spring Security {@code Authentication} of a caller TokenGuard accepted. {@link #getPrincipal()} is the
 * {@link TokenPrincipal} (so {@code @AuthenticationPrincipal TokenPrincipal} works); authorities are the
 * permissions as they are, each role as {@code ROLE_x} (permissions too with {@code permissions-as-roles}), each scope as {@code SCOPE_x}. The token itself is not
 * kept ({@link #getCredentials()} is {@code null}).
 */
public final class TokenGuardAuthentication extends AbstractAuthenticationToken {
  private static final long serialVersionUID = 1L;

  private final TokenPrincipal principal;

  /**
   * @param principal the accepted caller
   * @param roles the roles role checks match ({@link dev.tokenguard.TokenGuard#roles})
   */
  public TokenGuardAuthentication(TokenPrincipal principal, Collection<String> roles) {
    this(principal, roles, null);
  }

  /**
   * @param principal the accepted caller
   * @param roles the roles role checks match ({@link dev.tokenguard.TokenGuard#roles})
   * @param mapper turns the authorities above into the ones Spring's checks ({@code hasAuthority}, {@code hasRole})
   *     see, as Spring's own authentication providers do; {@code null} keeps them. TokenGuard's own checks
   *     ({@code rule.*}, {@link RequiresPermission}) read the principal's permissions and roles, not these.
   */
  public TokenGuardAuthentication(TokenPrincipal principal, Collection<String> roles, GrantedAuthoritiesMapper mapper) {
    super(mapper == null ? authorities(principal, roles) : mapper.mapAuthorities(authorities(principal, roles)));
    this.principal = principal;
    setAuthenticated(true);
  }

  static Collection<GrantedAuthority> authorities(TokenPrincipal p, Collection<String> roles) {
    List<GrantedAuthority> out = new ArrayList<>();
    p.permissions().stream().sorted().forEach(x -> out.add(new SimpleGrantedAuthority(x)));
    roles.stream().sorted().forEach(x -> out.add(new SimpleGrantedAuthority("ROLE_" + x)));
    p.scopes().stream().sorted().forEach(x -> out.add(new SimpleGrantedAuthority("SCOPE_" + x)));
    return out;
  }

  @Override
  public TokenPrincipal getPrincipal() {
    return principal;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public String getName() {
    return principal.getName();
  }
}
