package dev.tokenguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@link Sha256} hashes: UTF-8 for well-formed text, whichever path (the ASCII shortcut or the scan) gives
 * them, and never the same bytes for two different strings.
 */
class Sha256Test {

  @Property(tries = 2000)
  void wellFormedTextIsHashedAsItsUtf8(@ForAll("text") String text) {
    if (hasLoneSurrogate(text)) {
      return;
    }
    assertThat(Sha256.bytes(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 2000)
  void differentTextGivesDifferentBytes(@ForAll("text") String a, @ForAll("text") String b) {
    if (!a.equals(b)) {
      assertThat(Sha256.bytes(a)).isNotEqualTo(Sha256.bytes(b));
    }
  }

  @Test
  void textThatAsciiBytesWouldConfuseAreToldApart() {
    List<String> tricky = List.of("a?", "a\uD800", "a\uDC00", "a\u00E9", "a\u00E9?", "\u0100", "\u00C4\u0080", "?", "\u00FF",
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\u0100", "");
    Map<String, String> seen = new HashMap<>();
    for (String t : tricky) {
      String hex = HexFormat.of().formatHex(Sha256.bytes(t));
      assertThat(seen.put(hex, t)).as("bytes of '%s'", t).isNull();
    }
    assertThat(Sha256.bytes("a\uD800")).isEqualTo(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
    assertThat(Sha256.bytes("a?")).isEqualTo(new byte[] {'a', '?'});
  }

  @Test
  void manyThreadsHashingAtOnceEachGetTheirOwnHash() throws Exception {
    // the digests are pooled: one handed to two threads at once would mix their inputs
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
      for (int i = 0; i < 4000; i++) {
        String text = "token-" + i + "-".repeat(i % 300);
        answers.add(threads.submit(() -> java.util.Arrays.equals(Sha256.of(text),
            java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))));
      }
      for (java.util.concurrent.Future<Boolean> answer : answers) {
        assertThat(answer.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Provide
  Arbitrary<String> text() {
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.chars().range(' ', '~')),
        net.jqwik.api.Tuple.of(2, Arbitraries.of('?', '\u00E9', '\u00C4', '\u0080', '\u00FF', '\u0100')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\uD800', '\uDFFF')),
        net.jqwik.api.Tuple.of(1, Arbitraries.chars()));
    return chars.list().ofMaxSize(40).map(cs -> {
      StringBuilder sb = new StringBuilder();
      cs.forEach(sb::append);
      return sb.toString();
    });
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
