package dev.tokenguard.cli;

import dev.tokenguard.Explanation;
import dev.tokenguard.http.BearerTokenResolver;
import dev.tokenguard.TokenGuard;
import dev.tokenguard.TokenGuardConfig;
import dev.tokenguard.TokenGuardConfigException;
import dev.tokenguard.TokenServiceException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tokenguard check}: validates a token exactly as the filter would and prints every step with the values
 * it saw, then the principal. Exit 0 valid, 1 invalid, 2 configuration or network problem.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = "Explain why a token passes or fails: every step, PASS or FAIL, with the values involved.")
final class CheckCommand implements Callable<Integer> {
  @Mixin
  ConfigOptions configuration;

  @Parameters(paramLabel = "TOKEN|-", description = "The token, or - to read it from standard input.")
  String token;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws IOException {
    TokenGuardConfig cfg;
    try {
      cfg = TokenGuardConfig.fromProperties(configuration.load());
    } catch (TokenGuardConfigException e) {
      System.err.println("tokenguard: configuration error: " + e.getMessage());
      return TokenGuardCli.EXIT_CONFIG;
    }
    String value = BearerTokenResolver.pasted(token.equals("-")
        ? new String(System.in.readAllBytes(), StandardCharsets.US_ASCII) : token);
    try (TokenGuard guard = TokenGuard.create(cfg)) {
      Explanation e = guard.explain(value);
      for (Explanation.Step s : e.steps()) {
        out.printf("%s  %-18s %s%n", s.passed() ? "PASS" : "FAIL", s.name(), s.detail());
      }
      if (e.valid()) {
        out.println("VALID: the request would be let through; principal:");
        out.println(Jsons.write(Jsons.principal(e.principal())));
        return 0;
      }
      out.println("INVALID: HTTP " + e.failure().httpStatus() + " " + e.failure().errorCode() + ": " + e.failure().getMessage());
      return e.failure() instanceof TokenServiceException ? TokenGuardCli.EXIT_CONFIG : 1;
    }
  }
}
