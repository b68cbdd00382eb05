package dev.tokenguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PathPattern} answers what a plain (backtracking) reference answers, on small paths, and stays linear in
 * the path's length on long ones: a pattern with many {@code *} in one segment, or many {@code **} segments,
 * against 2,000-character segments and 500-segment paths. The backtracking form this replaced took seconds for
 * one such match; these tests would not end within their time-out with it.
 */
class PathPatternPropertyTest {

  @Property
  void matchWhenSmallThenSameAsReference(@ForAll("patterns") String pattern, @ForAll("paths") String path) {
    boolean ignoreCase = path.hashCode() % 2 == 0;
    assertThat(PathPattern.parse(pattern).matches(PathPattern.segments(path), ignoreCase))
        .as("%s against %s (ignore case %s)", pattern, path, ignoreCase)
        .isEqualTo(reference(pattern, path, ignoreCase));
  }

  @Test
  @Timeout(10)
  void matchWhenManyWildcardsInALongSegmentThenLinear() {
    String segment = "a-".repeat(1000);
    String path = "/static/" + segment;
    for (String pattern : List.of("/static/*-*-*.js", "/static/*a*a*a*a*a*a*a*a*a*a*b", "/static/*-*-*-*-*-*-*-*-*-*-*-*-x")) {
      PathPattern p = PathPattern.parse(pattern);
      for (int i = 0; i < 200; i++) {
        assertThat(p.matches(path)).as(pattern).isFalse();
      }
    }
  }

  @Test
  @Timeout(10)
  void matchWhenManyDoubleWildcardsInALongPathThenLinear() {
    String path = "/a".repeat(500) + "/b";
    PathPattern p = PathPattern.parse("/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/c");
    for (int i = 0; i < 200; i++) {
      assertThat(p.matches(path)).isFalse();
    }
  }

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.just("**"),
        Arbitraries.strings().withChars("ab*A").ofMinLength(1).ofMaxLength(5));
    return segment.list().ofMinSize(0).ofMaxSize(5).map(s -> "/" + String.join("/", s));
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment = Arbitraries.strings().withChars("abAB").ofMinLength(1).ofMaxLength(6);
    return Combinators.combine(segment.list().ofMaxSize(6), Arbitraries.of("", "/"))
        .as((s, trailing) -> "/" + String.join("/", s) + (s.isEmpty() ? "" : trailing));
  }

  /** Backtracking reference: segments as a regex over "/seg" units, '**' as any number of them. */
  private static boolean reference(String pattern, String path, boolean ignoreCase) {
    List<String> segs = PathPattern.segments(pattern);
    String regex = segs.stream().map(s -> s.equals("**") ? "(?:/[^/]+)*"
            : "/" + List.of(s.split("\\*", -1)).stream().map(Pattern::quote).collect(Collectors.joining("[^/]*")))
        .collect(Collectors.joining());
    String subject = PathPattern.segments(path).stream().map(s -> "/" + s).collect(Collectors.joining());
    return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0).matcher(subject).matches();
  }
}
