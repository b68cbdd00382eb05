package dev.tokenguard.cli;

/** The route oracle through Caddy's {@code forward_auth} ({@link ProxyRouteOracle}). */
class CaddyRouteOracleIT extends ProxyRouteOracle {
  @Override
  ReverseProxy proxy() {
    return ReverseProxy.CADDY;
  }
}
