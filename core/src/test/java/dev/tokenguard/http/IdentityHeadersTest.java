package dev.tokenguard.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which client headers an upstream reads as the identity headers a gateway sets. */
class IdentityHeadersTest {
  @ParameterizedTest
  @CsvSource({
      "X-Auth-Subject, true", "x-auth-subject, true", "X_Auth_Subject, true", "X_AUTH_SUBJECT, true",
      "x-auth_subject, true", "X-Auth-Subjects, false", "X-Auth-Subjec, false", "X.Auth.Subject, false",
      "XAuth-Subject-, false", "'X-Auth-Subject ', false"})
  void sameHeaderFoldsCaseAndUnderscore(String name, boolean same) {
    assertThat(IdentityHeaders.sameHeader(name, "X-Auth-Subject")).isEqualTo(same);
  }
}
