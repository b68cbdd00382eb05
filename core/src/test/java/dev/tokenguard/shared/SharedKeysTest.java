package dev.tokenguard.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shared-tier keys: one per (issuer, subject), lone surrogates included, and the keys of a running fleet kept. */
class SharedKeysTest {
  static final String ISSUER = "https://issuer.example.com/";

  @Test
  void hashedWhenSubjectsDifferOnlyInLoneSurrogatesThenKeysDiffer() {
    String[][] pairs = {{"a\uD800", "a?"}, {"a\uDC00", "a?"}, {"\uD800\uD800", "??"}, {"\uDC00\uD800", "??"},
        {"a\uD800", "a\uDC00"}, {"a\uD800", "a\uFFFD"}, {"\uD83D", "\uD83D\uDE00"}, {"\uD800x", "?x"}};
    for (String[] pair : pairs) {
      assertThat(pair[0]).isNotEqualTo(pair[1]);
      assertThat(SharedTier.hashed(ISSUER, pair[0])).as(pair[1]).isNotEqualTo(SharedTier.hashed(ISSUER, pair[1]));
      assertThat(SharedTier.hashed(pair[0])).as(pair[1]).isNotEqualTo(SharedTier.hashed(pair[1]));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"user-123", "", "auth0|5f7c8ec7c33c6c004bbafe82", "\u00e9l\u00e8ve", "\u7528\u6237", "\uD83D\uDE00 smile", "a?"})
  void hashedWhenWellFormedThenKeyIsTheUtf8HashAsBefore(String subject) throws Exception {
    byte[] utf8 = (ISSUER + '\u0000' + subject).getBytes(StandardCharsets.UTF_8);
    String before = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(utf8));
    assertThat(SharedTier.hashed(ISSUER, subject)).isEqualTo(before);
  }

  @Test
  void hashedWhenLoneSurrogateThenHashesItsGeneralizedUtf8() throws Exception {
    byte[] wtf8 = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}; // U+D800 as a code point of its own
    String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(wtf8));
    assertThat(SharedTier.hashed("a\uD800")).isEqualTo(expected);
  }
}
