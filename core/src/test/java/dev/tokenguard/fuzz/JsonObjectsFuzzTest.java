package dev.tokenguard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenguard.internal.JsonObjects;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * TokenGuard's own strict JSON parser against Nimbus' JSONObjectUtils as the reference: on every document both read, the same
 * values; and never accepting what Nimbus refuses.
 */
class JsonObjectsFuzzTest {

  @Property
  void documentsNimbusWritesReadTheSameAsNimbusReadsThem(@ForAll("objects") Map<String, Object> object) throws Exception {
    String text;
    try {
      text = JSONObjectUtils.toJSONString(object);
    } catch (RuntimeException unwritable) { // e.g. NaN
      Assume.that(false);
      return;
    }
    assertThat(JsonObjects.parse(text)).isEqualTo(JSONObjectUtils.parse(text));
    assertThat(JsonObjects.parseFrozen(text)).as("the frozen reading").isEqualTo(JSONObjectUtils.parse(text));
  }

  @Property
  void mutatedDocumentsAreReadAsNimbusReadsThemOrRefused(@ForAll("mutated") String text) {
    assertReadAsNimbusReadsItOrRefused(text);
  }

  @Property
  void unicodeEscapesWithLookAlikeDigitsAreReadAsNimbusReadsThemOrRefused(@ForAll("escapes") String text) {
    assertReadAsNimbusReadsItOrRefused(text);
  }

  private static void assertReadAsNimbusReadsItOrRefused(String text) {
    Map<String, Object> ours;
    try {
      ours = JsonObjects.parse(text);
    } catch (ParseException refused) {
      assertThatThrownBy(() -> JsonObjects.parseFrozen(text)).as("the frozen reading").isInstanceOf(ParseException.class);
      return; // stricter than Nimbus is allowed
    }
    try {
      assertThat(JsonObjects.parseFrozen(text)).as("the frozen reading").isEqualTo(ours);
    } catch (ParseException e) {
      throw new AssertionError("the frozen reading refused " + text, e);
    }
    Map<String, Object> nimbus;
    try {
      nimbus = JSONObjectUtils.parse(text);
    } catch (ParseException e) {
      throw new AssertionError("accepted what Nimbus refuses: " + text, e);
    }
    assertThat(ours).as(text).isEqualTo(nimbus);
  }

  @Provide
  Arbitrary<Map<String, Object>> objects() {
    return JsonArbitraries.object(3);
  }

  @Provide
  Arbitrary<String> mutated() {
    return JsonArbitraries.object(2).map(JSONObjectUtils::toJSONString).flatMap(json -> {
      Arbitrary<Character> odd = Arbitraries.of('{', '}', '[', ']', '"', '\\', ',', ':', ' ', '0', '-', '.', 'e', 'n', 't',
          '/', '*', '\'', '\u0000', '\n', '\u00e9',
          '\u00a0', '\u2028', '\u3000', '\ufeff', '\u000b', '\u000c', // white space JSON does not allow
          '\uff10', '\uff11', '\u0660', '\u0967', '\u06f1'); // digits JSON does not allow
      Arbitrary<Integer> at = Arbitraries.integers().between(0, json.length());
      return Arbitraries.oneOf(
          at.flatMap(i -> odd.map(c -> json.substring(0, i) + c + json.substring(i))),
          at.filter(i -> i < json.length()).map(i -> json.substring(0, i) + json.substring(i + 1)),
          at.map(i -> json.substring(0, i)));
    });
  }

  /**
   * Documents whose strings and member names hold {@code \\u} escapes, the four digits drawn from ASCII hex digits,
   * their Unicode look-alikes ({@link Character#digit} reads all of these) and a few non-digits.
   */
  @Provide
  Arbitrary<String> escapes() {
    Arbitrary<Character> ascii = Arbitraries.of("0123456789abcdefABCDEF".toCharArray());
    Arbitrary<Character> lookAlike = Arbitraries.of(LOOK_ALIKE_HEX_DIGITS.toCharArray());
    Arbitrary<Character> notHex = Arbitraries.of('g', 'G', 'x', ' ', '"', '\u066b', '\uff47');
    Arbitrary<Character> digit = Arbitraries.frequencyOf(Tuple.of(6, ascii), Tuple.of(3, lookAlike), Tuple.of(1, notHex));
    Arbitrary<String> escape = digit.list().ofSize(4).map(ds -> "\\u" + ds.stream().map(String::valueOf).collect(Collectors.joining()));
    Arbitrary<String> text = Arbitraries.oneOf(escape, Arbitraries.strings().alpha().ofMaxLength(3))
        .list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("", parts));
    return Combinators.combine(text, text, Arbitraries.of(true, false))
        .as((name, value, inArray) -> "{\"" + name + "\":" + (inArray ? "[\"" + value + "\"]" : "\"" + value + "\"") + "}");
  }

  /** Fullwidth, Arabic-Indic, Extended Arabic-Indic and Devanagari digits; fullwidth A-F and a-f. */
  static final String LOOK_ALIKE_HEX_DIGITS = "\uff10\uff11\uff19\u0660\u0661\u0669\u06f0\u06f5\u0966\u096f"
      + "\uff21\uff26\uff41\uff46";

  @Example
  void unicodeEscapesAcceptOnlyAsciiHexDigits() throws Exception {
    assertThat(JsonObjects.parse("{\"a\":\"\\u0041\\u00e9\\uAbCd\"}")).containsEntry("a", "A\u00e9\uabcd");
    for (char c : LOOK_ALIKE_HEX_DIGITS.toCharArray()) {
      for (String text : List.of("{\"a\":\"\\u004" + c + "\"}", "{\"a\":\"\\u" + c + "041\"}", "{\"\\u00" + c + "1\":1}")) {
        assertThatThrownBy(() -> JsonObjects.parse(text)).as(text).isInstanceOf(ParseException.class)
            .hasMessageContaining("invalid \\u escape");
        assertThatThrownBy(() -> JSONObjectUtils.parse(text)).as("Nimbus: " + text).isInstanceOf(ParseException.class);
      }
    }
  }

  @Example
  void numbersAndWhiteSpaceAcceptOnlyTheAsciiOnes() {
    for (String text : List.of("{\"a\":\uff11}", "{\"a\":1\uff10}", "{\"a\":\u0661}", "{\"a\":-\u0967}", "{\"a\":1.\u0660}",
        "{\"a\":1e\uff15}", "{\"a\":1\u06f0}", "\u00a0{\"a\":1}", "{\u3000\"a\":1}", "{\"a\":1}\u2028",
        "{\"a\"\ufeff:1}", "{\"a\":\u000b1}", "{\"a\":1\u000c}", "{\"a\":\u20071}")) {
      assertThatThrownBy(() -> JsonObjects.parse(text)).as(text).isInstanceOf(ParseException.class);
      assertThatThrownBy(() -> JSONObjectUtils.parse(text)).as("Nimbus: " + text).isInstanceOf(ParseException.class);
    }
  }

  @Example
  void lenientFormsAreRefused() {
    for (String text : List.of("{'a':1}", "{a:1}", "{\"a\":1,}", "{\"a\":[1,]}", "{\"a\":1} x", "{\"a\":1}{}",
        "{/*c*/\"a\":1}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e400}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}",
        "{\"a\":.5}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":1,\"a\":2}",
        "[1]", "null", "", "  ", "{\"a\"}", "{\"a\":}", "{\"a\":\"unterminated}")) {
      assertThatThrownBy(() -> JsonObjects.parse(text)).as(text).isInstanceOf(ParseException.class);
    }
  }

  @Example
  void valuesHaveNimbusTypes() throws Exception {
    Map<String, Object> m = JsonObjects.parse(" {\"i\":-0,\"l\":9223372036854775807,\"big\":9223372036854775808,\"d\":1.5,"
        + "\"e\":1E2,\"s\":\"\\u00e9\\ud83d\\ude00\\n\\/\",\"t\":true,\"n\":null,\"a\":[{}],\"o\":{\"x\":[]}}\n");
    assertThat(m).containsEntry("i", 0L).containsEntry("l", Long.MAX_VALUE).containsEntry("big", 9.223372036854775808E18)
        .containsEntry("d", 1.5).containsEntry("e", 100.0).containsEntry("s", "é😀\n/").containsEntry("t", true)
        .containsEntry("n", null).containsEntry("a", List.of(Map.of())).containsEntry("o", Map.of("x", List.of()));
    assertThat(m.keySet()).containsExactly("i", "l", "big", "d", "e", "s", "t", "n", "a", "o");
  }

  /** Integers of up to 18 characters are read in place, longer ones as text: both as Nimbus reads them. */
  @Example
  void integersOnEitherSideOfEighteenCharactersAreReadAsNimbusReadsThem() throws Exception {
    for (String n : List.of("0", "-0", "7", "-7", "1700000000", "-12345678901234567", "999999999999999999",
        "-999999999999999999", "1000000000000000000", "-9223372036854775808", "9223372036854775807", "-9223372036854775809")) {
      String text = "{\"n\":" + n + "}";
      assertThat(JsonObjects.parse(text)).as(text).isEqualTo(JSONObjectUtils.parse(text));
    }
    assertThat(JsonObjects.parse("{\"n\":-12345678901234567}")).containsEntry("n", -12345678901234567L);
  }

  @Example
  void nestingIsLimited() throws Exception {
    String ok = "{\"a\":".repeat(JsonObjects.MAX_DEPTH - 1) + "{}" + "}".repeat(JsonObjects.MAX_DEPTH - 1);
    assertThat(JsonObjects.parse(ok)).isNotNull();
    String deep = "{\"a\":".repeat(JsonObjects.MAX_DEPTH) + "{}" + "}".repeat(JsonObjects.MAX_DEPTH);
    assertThatThrownBy(() -> JsonObjects.parse(deep)).isInstanceOf(ParseException.class).hasMessageContaining("nested deeper");
    String arrays = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> JsonObjects.parse(arrays)).isInstanceOf(ParseException.class);
  }

  @Example
  void objectOrArrayReadsBoth() throws Exception {
    assertThat(JsonObjects.parseObjectOrArray("[{\"id\":1}]")).isEqualTo(List.of(Map.of("id", 1L)));
    assertThat(JsonObjects.parseObjectOrArray("{\"id\":1}")).isEqualTo(Map.of("id", 1L));
    assertThatThrownBy(() -> JsonObjects.parseObjectOrArray("\"x\"")).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> JsonObjects.parseObjectOrArray("[1] [2]")).isInstanceOf(ParseException.class);
  }
}
