package dev.tokenguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast path of {@link PathNormalizer} takes only paths the full normaliser would return unchanged. */
class PathNormalizerFastPathTest {

  @Property(tries = 3000)
  void pathsTakenByTheFastPathAreAlreadyNormal(@ForAll("paths") String path) {
    if (PathNormalizer.alreadyNormal(path)) {
      assertThat(PathNormalizer.normaliseFully(path)).isEqualTo(path);
    }
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> rest = Arbitraries.strings()
        .withChars('/', '/', '/', '.', '.', 'a', 'b', '%', '2', 'F', ';', '\\', '?', ' ', '\u00e9', '\t').ofMaxLength(14);
    return Combinators.combine(Arbitraries.of("/", "/", "/", ""), rest).as(String::concat);
  }

  @Example
  void ordinaryPathsTakeTheFastPathAndOddOnesDoNot() {
    assertThat(PathNormalizer.alreadyNormal("/")).isTrue();
    assertThat(PathNormalizer.alreadyNormal("/api/orders/42")).isTrue();
    assertThat(PathNormalizer.alreadyNormal("/api/.well-known/x..y")).isTrue();
    for (String odd : new String[] {"", "api", "/api/", "//api", "/api//x", "/./api", "/api/.", "/api/..", "/a/../b",
        "/a%2e", "/a;jsessionid=1", "/a\\b", "/a?x", "/\u00e9"}) {
      assertThat(PathNormalizer.alreadyNormal(odd)).as(odd).isFalse();
    }
  }
}
