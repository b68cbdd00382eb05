package dev.tokenguard.lookup;

import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenPrincipal;
import dev.tokenguard.UserLookup;
import dev.tokenguard.testing.ApiServer;
import dev.tokenguard.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Shared set-up for user-lookup tests: a provider double on loopback, a fake clock, a sleeper that records. */
abstract class LookupFixture {
  static final String ISSUER = "https://issuer.example.com/";

  final FakeClock clock = FakeClock.at("2026-11-23T10:00:00Z");
  final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
  final Sleeper recordingSleeper = sleeps::add;
  final ApiServer api = new ApiServer();

  void closeServer() {
    api.close();
  }

  static Map<String, String> props(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("issuer", ISSUER);
    m.put("jwks-uri", "https://issuer.example.com/jwks");
    m.put("audience", "https://api.example.com");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  UserLookup lookup(String... kv) {
    TokenGuardConfig config = TokenGuardConfig.builder().properties(props(kv)).clock(clock).build();
    return UserLookups.create(config, Runnable::run, recordingSleeper);
  }

  TokenPrincipal principal(String subject) {
    return new TokenPrincipal(subject, subject, ISSUER, List.of("https://api.example.com"), Set.of(), Set.of(), Set.of(),
        Map.of("sub", subject), clock.instant().plusSeconds(3600), null);
  }
}
