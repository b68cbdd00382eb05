package dev.tokenguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link PathIndex} finds exactly the patterns a scan of every pattern finds, in both case modes, including
 * characters whose case folding is irregular (dotted and dotless i, Kelvin sign, long s, sharp s, Greek sigmas,
 * Deseret letters outside the BMP): an index that separated two segments a case-insensitive match joins would skip
 * a rule, which is a bypass.
 */
class PathIndexPropertyTest {
  static final List<String> LETTERS = List.of("a", "b", "A", "B", "İ", "ı", "i", "I", "K", "k", "\u212A", "ſ", "s", "S", "ß",
      "σ", "ς", "Σ", "𐐀", "𐐨");

  @Property(tries = 1000)
  void theIndexFindsWhatAScanFinds(@ForAll("patternLists") List<String> patterns, @ForAll("paths") String path) {
    for (boolean ignoreCase : new boolean[] {false, true}) {
      List<PathPattern> parsed = patterns.stream().map(PathPattern::parse).toList();
      List<String> segments = PathPattern.segments(path);
      List<Integer> scanned = new ArrayList<>();
      for (int i = 0; i < parsed.size(); i++) {
        if (parsed.get(i).matches(segments, ignoreCase)) {
          scanned.add(i);
        }
      }
      PathIndex index = new PathIndex(parsed, ignoreCase);
      assertThat(index.matching(segments)).as("%s against %s, ignore case %s", patterns, path, ignoreCase)
          .containsExactly(scanned.stream().mapToInt(Integer::intValue).toArray());
      assertThat(index.matchesAny(segments)).isEqualTo(!scanned.isEmpty());
    }
  }

  @Test
  void patternsStartingWithLiteralsAreNotCheckedAgainstOtherPaths() {
    List<PathPattern> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(PathPattern.parse("/api/resource" + i + "/**"));
    }
    many.add(PathPattern.parse("/**/admin"));
    PathIndex index = new PathIndex(many, true);
    assertThat(index.rootPatterns()).isEqualTo(1);
    assertThat(index.matching(PathPattern.segments("/API/Resource999/x"))).containsExactly(999);
    assertThat(index.matching(PathPattern.segments("/api/resource7/admin"))).containsExactly(7, 1000);
    assertThat(index.matching(PathPattern.segments("/other"))).isEmpty();
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    List<String> withStar = new ArrayList<>(LETTERS);
    withStar.add("*");
    Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.just("**"),
        Arbitraries.of(withStar).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l)));
    Arbitrary<String> pattern = segment.list().ofMinSize(0).ofMaxSize(4).map(s -> "/" + String.join("/", s));
    return pattern.list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(LETTERS).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l)).list().ofMinSize(0).ofMaxSize(5)
        .map(s -> "/" + String.join("/", s));
  }
}
