package dev.tokenguard.fuzz;

import net.jqwik.api.Arbitrary;

/** {@link JsonArbitraries} for fuzz tests in other packages. */
public final class JsonArbitrariesAccess {
  private JsonArbitrariesAccess() {}

  public static Arbitrary<Object> value(int depth) {
    return JsonArbitraries.value(depth);
  }
}
