package dev.tokenguard.cli;

/** The route oracle through nginx's {@code auth_request} ({@link ProxyRouteOracle}). */
class NginxRouteOracleIT extends ProxyRouteOracle {
  @Override
  ReverseProxy proxy() {
    return ReverseProxy.NGINX;
  }
}
