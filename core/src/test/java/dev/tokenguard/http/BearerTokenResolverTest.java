package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidRequestException;
import dev.tokenguard.testing.FakeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6750 §2 token resolution, one family of SECURITY.md's header and transport cases per test. */
class BearerTokenResolverTest {
  final BearerTokenResolver headerOnly = new BearerTokenResolver(false);
  final BearerTokenResolver withQuery = new BearerTokenResolver(true);

  @ParameterizedTest
  @ValueSource(strings = {"Bearer abc.def.ghi", "bearer abc.def.ghi", "BEARER abc.def.ghi", "Bearer   abc.def.ghi"})
  void resolveWhenBearerInAnyCaseOrSeveralSpacesThenToken(String header) {
    assertThat(headerOnly.resolve(FakeRequest.get("/").header("Authorization", header))).isEqualTo("abc.def.ghi");
  }

  @Test
  void resolveWhenB64TokenCharactersAndPaddingThenAccepted() {
    assertThat(headerOnly.resolve(FakeRequest.get("/").bearer("aZ09-._~+/=="))).isEqualTo("aZ09-._~+/==");
  }

  @Test
  void resolveWhenNoHeaderOrEmptyOrOtherSchemeThenNoToken() {
    assertThat(headerOnly.resolve(FakeRequest.get("/"))).isNull();
    assertThat(headerOnly.resolve(FakeRequest.get("/").header("Authorization", ""))).isNull();
    assertThat(headerOnly.resolve(FakeRequest.get("/").header("Authorization", "Basic dXNlcjpwYXNz"))).isNull();
    assertThat(headerOnly.resolve(FakeRequest.get("/").header("Authorization", "Bearerx abc"))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer", "Bearer ", "Bearer    "})
  void resolveWhenBearerWithoutTokenThenInvalidRequest(String header) {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").header("Authorization", header)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
  }

  @Test
  void resolveWhenTabSeparatorThenInvalidRequest() {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").header("Authorization", "Bearer\tabc")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("space after the Bearer scheme");
  }

  @Test
  void resolveWhenTwoTokensThenInvalidRequest() {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").header("Authorization", "Bearer a.b.c d.e.f")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("several bearer tokens");
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").header("Authorization", "Bearer a.b.c, Bearer d.e.f")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("several bearer tokens");
  }

  @Test
  void resolveWhenSeveralAuthorizationHeadersThenInvalidRequest() {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("a.b.c").bearer("a.b.c")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2 Authorization headers");
  }

  @Test
  void resolveWhenNonAsciiThenInvalidRequest() {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("abc\u00e9.def.ghi")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("U+00E9");
  }

  /** Characters beyond Latin-1, a surrogate pair among them, are named as they are, wherever they stand. */
  @Test
  void resolveWhenBeyondLatin1ThenTheFirstSuchCharacterIsNamed() {
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("abc.d\u20ACf.ghi")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("U+20AC");
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("abc.def.\uD83D\uDE00\u20AC")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("U+D83D");
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("abc.def.gh==\u0100")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("U+0100");
    assertThatThrownBy(() -> headerOnly.resolve(FakeRequest.get("/").bearer("abc.def.gh?")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'?'");
    assertThat(headerOnly.resolve(FakeRequest.get("/").bearer("aZ09-._~+/.b=="))).isEqualTo("aZ09-._~+/.b==");
  }

  @Test
  void resolveWhenQueryTokenNotAllowedThenIgnored() {
    assertThat(headerOnly.resolve(FakeRequest.get("/").query("access_token", "a.b.c"))).isNull();
  }

  @Test
  void resolveWhenQueryTokenAllowedThenReadOnceAndNeverBesideTheHeader() {
    assertThat(withQuery.resolve(FakeRequest.get("/").query("access_token", "a.b.c"))).isEqualTo("a.b.c");
    assertThatThrownBy(() -> withQuery.resolve(FakeRequest.get("/").bearer("a.b.c").query("access_token", "a.b.c")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("both");
    assertThatThrownBy(() -> withQuery.resolve(FakeRequest.get("/").query("access_token", "a").query("access_token", "b")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("2 times");
  }

  @Test
  void isBearerTellsTheSchemeInAnyCaseFollowedByASpace() {
    assertThat(BearerTokenResolver.isBearer("Bearer abc")).isTrue();
    assertThat(BearerTokenResolver.isBearer("bEARER x")).isTrue();
    assertThat(BearerTokenResolver.isBearer("Bearer")).isFalse();
    assertThat(BearerTokenResolver.isBearer("Basic dXNlcg==")).isFalse();
    assertThat(BearerTokenResolver.isBearer("BearerX abc")).isFalse();
    assertThat(BearerTokenResolver.isBearer(null)).isFalse();
  }

  @Test
  void pastedTokenLosesBlanksAndTheScheme() {
    assertThat(BearerTokenResolver.pasted("  eyJ.a.b\n")).isEqualTo("eyJ.a.b");
    assertThat(BearerTokenResolver.pasted("bearer   eyJ.a.b ")).isEqualTo("eyJ.a.b");
    assertThat(BearerTokenResolver.pasted("BearerX")).isEqualTo("BearerX");
    assertThat(BearerTokenResolver.pasted(null)).isEmpty();
  }
}
