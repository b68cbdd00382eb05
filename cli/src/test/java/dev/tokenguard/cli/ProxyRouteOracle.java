package dev.tokenguard.cli;

import dev.tokenguard.it.oracle.RouteOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The route oracle through a real proxy doing forward authentication ({@link ReverseProxy}, the README's file) with
 * the gateway in {@code --forward-auth} mode beside it, in front of the most lenient upstream router there is
 * ({@link LenientUpstream}): every spelling of the corpus goes to the proxy, and no request may reach a handler whose
 * rule it did not satisfy, whatever the proxy normalises and whatever it passes on.
 */
abstract class ProxyRouteOracle extends RouteOracle {
  private final List<Process> processes = new ArrayList<>();
  private LenientUpstream upstream;
  private ReverseProxy.Running proxy;

  /** The proxy under test. */
  abstract ReverseProxy proxy();

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    upstream = new LenientUpstream();
    List<String> args = new ArrayList<>(List.of("--forward-auth"));
    props.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    GatewayProcess gateway = GatewayProcess.serve(processes, false, args.toArray(String[]::new));
    proxy = proxy().start(gateway.port(), upstream.port());
    return "http://127.0.0.1:" + proxy.port();
  }

  @Override
  protected void stopApp() throws Exception {
    proxy.close();
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    upstream.close();
  }
}
