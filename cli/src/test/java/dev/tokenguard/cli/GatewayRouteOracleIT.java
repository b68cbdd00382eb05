package dev.tokenguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenguard.it.RawHttp;
import dev.tokenguard.it.oracle.Route;
import dev.tokenguard.it.oracle.RouteOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The route oracle against the gateway ({@code tokenguard serve --upstream}, the packaged jar as a process) in front
 * of the most lenient upstream router there is ({@link LenientUpstream}). Plus the gateway's own endpoints: every spelling the
 * gateway treats as {@code /metrics} or {@code /health} is answered by the gateway and never reaches the upstream.
 */
class GatewayRouteOracleIT extends RouteOracle {
  private final List<Process> processes = new ArrayList<>();
  private LenientUpstream upstream;
  private List<String> received;
  private int gatewayPort;

  @Override
  protected String startApp(Map<String, String> props) throws Exception {
    upstream = new LenientUpstream();
    received = upstream.received;
    List<String> args = new ArrayList<>(List.of("--upstream", "http://127.0.0.1:" + upstream.port()));
    props.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
    GatewayProcess gateway = GatewayProcess.serve(processes, false, args.toArray(String[]::new));
    gatewayPort = gateway.port();
    return gateway.baseUrl();
  }

  @Override
  protected void stopApp() throws Exception {
    for (Process p : processes) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    upstream.close();
  }

  @Test
  void gatewayEndpointsInEverySpellingAreAnsweredByTheGatewayAndNeverProxied() throws Exception {
    received.clear();
    for (String target : List.of("/metrics", "/metrics/", "/health", "/health/", "/health;/", "/%6Detrics", "/he%61lth/",
        "/metrics;x", "//metrics", "/./health", "/x/../health", "/metrics%2F", "/health%3B")) {
      RawHttp.Response r = RawHttp.send(gatewayPort, "GET", target, List.of());
      assertThat(r.status()).as(target).isIn(200, 400, 503);
      assertThat(r.header(Route.HEADER)).as(target).isNull();
    }
    assertThat(received).as("requests that reached the upstream").isEmpty();
  }

  @Test
  void upstreamReceivesExactlyTheJudgedPathAndNoMethodOverride() throws Exception {
    String token = idp.oidcToken("alice", Map.of("permissions", List.copyOf(Route.ALL_PERMISSIONS)));
    received.clear();
    RawHttp.Response r = RawHttp.send(gatewayPort, "POST", "/api/%61dmin/st%61ts?x=%2F", List.of(
        new String[] {"Authorization", "Bearer " + token}, new String[] {"X-HTTP-Method-Override", "DELETE"},
        new String[] {"X-Method-Override", "DELETE"}, new String[] {"X-HTTP-Method", "DELETE"}));
    assertThat(r.status()).isEqualTo(200);
    RawHttp.send(gatewayPort, "GET", "/api/orders/42%3Acancel", List.<String[]>of(new String[] {"Authorization", "Bearer " + token}));
    assertThat(received).hasSize(2);
    assertThat(received.get(0)).startsWith("POST /api/admin/stats ").doesNotContainIgnoringCase("override").doesNotContainIgnoringCase("X-http-method");
    assertThat(received.get(1)).startsWith("GET /api/orders/42:cancel ");
  }
}
