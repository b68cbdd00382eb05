package dev.tokenguard.jwt;

import dev.tokenguard.Explanation;
import dev.tokenguard.InvalidTokenException;
import dev.tokenguard.TokenGuardException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How {@link JwtValidator} runs its named steps: {@link #STRICT} for requests (the first failure throws,
 * nothing is recorded, no detail text is built) or {@link Recording} for {@code tokenguard check} (every step is
 * recorded with its values; failing claim checks are all reported before the run ends).
 */
abstract class Steps {
  /** Requests: fail fast, record nothing. */
  static final Steps STRICT = new Steps() {
    @Override
    <T> T decisive(String name, Supplier<T> step, Function<T, String> detail) {
      return step.get();
    }

    @Override
    <T> T check(String name, Supplier<T> step, Function<T, String> detail) {
      return step.get();
    }

    @Override
    void endOfChecks() {
    }
  };

  /** A step whose failure ends the run (nothing after it can be trusted). */
  abstract <T> T decisive(String name, Supplier<T> step, Function<T, String> detail);

  /** A claim check: in recording mode a failure is recorded and the next check still runs. */
  abstract <T> T check(String name, Supplier<T> step, Function<T, String> detail);

  /** Throws the first recorded check failure, if any. */
  abstract void endOfChecks();

  /** Records every step. Not thread-safe: one per explanation. */
  static final class Recording extends Steps {
    private final List<Explanation.Step> steps = new ArrayList<>();
    private TokenGuardException firstFailure;

    List<Explanation.Step> list() {
      return steps;
    }

    @Override
    <T> T decisive(String name, Supplier<T> step, Function<T, String> detail) {
      try {
        T value = step.get();
        steps.add(new Explanation.Step(name, true, detail.apply(value)));
        return value;
      } catch (TokenGuardException e) {
        steps.add(new Explanation.Step(name, false, e.getMessage()));
        throw e;
      }
    }

    @Override
    <T> T check(String name, Supplier<T> step, Function<T, String> detail) {
      try {
        T value = step.get();
        steps.add(new Explanation.Step(name, true, detail.apply(value)));
        return value;
      } catch (InvalidTokenException e) {
        steps.add(new Explanation.Step(name, false, e.getMessage()));
        if (firstFailure == null) {
          firstFailure = e;
        }
        return null;
      }
    }

    @Override
    void endOfChecks() {
      if (firstFailure != null) {
        throw firstFailure;
      }
    }
  }
}
