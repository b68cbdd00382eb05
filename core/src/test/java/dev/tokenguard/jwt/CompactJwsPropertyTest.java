package dev.tokenguard.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenguard.InvalidTokenException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link CompactJws}' own base64url decoding against the JDK's: every canonical unpadded encoding of any bytes decodes
 * to those bytes, and any other text (a character outside the alphabet, padding, a length of 4n+1, non-zero unused
 * bits, non-ASCII look-alikes) is refused with the message the text-level check gives.
 */
class CompactJwsPropertyTest {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  @Property(tries = 3000)
  void canonicalEncodingsDecodeToTheirBytes(@ForAll byte[] header, @ForAll byte[] payload, @ForAll byte[] signature) {
    if (header.length == 0 || signature.length == 0) {
      return; // an empty header or signature is refused before decoding
    }
    String token = ENCODER.encodeToString(header) + "." + ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(signature);
    CompactJws jws = CompactJws.parse(token, 1 << 20);
    assertThat(jws.header()).isEqualTo(header);
    assertThat(jws.payload()).isEqualTo(payload);
    assertThat(jws.signature()).isEqualTo(signature);
    assertThat(jws.signingInput()).isEqualTo(token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII));
    assertThat(jws.encodedHeader()).isEqualTo(token.substring(0, token.indexOf('.')));
  }

  @Property(tries = 5000)
  void aPartIsAcceptedExactlyWhenItIsCanonicalBase64Url(@ForAll("part") String part) {
    String token = "eyJhbGciOiJIUzI1NiJ9." + part + ".c2ln";
    String problem = CompactJws.strictBase64UrlProblem(part);
    if (problem == null) {
      assertThat(CompactJws.parse(token, 1 << 20).payload()).isEqualTo(Base64.getUrlDecoder().decode(part));
      assertThat(ENCODER.encodeToString(Base64.getUrlDecoder().decode(part))).as("canonical").isEqualTo(part);
    } else {
      assertThatThrownBy(() -> CompactJws.parse(token, 1 << 20)).isInstanceOf(InvalidTokenException.class)
          .hasMessage("the payload is not strict base64url: " + problem);
    }
  }

  @Provide
  Arbitrary<String> part() {
    Arbitrary<Character> chars = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray())),
        net.jqwik.api.Tuple.of(1, Arbitraries.of('=', '+', '/', ' ', '?', '\u00C1', '\u0100', '\uFF21', '\u0661', '\0', '.')));
    return chars.list().ofMaxSize(14).map(cs -> {
      StringBuilder sb = new StringBuilder();
      cs.forEach(c -> sb.append(c.charValue() == '.' ? 'A' : c.charValue()));
      return sb.toString();
    });
  }
}
