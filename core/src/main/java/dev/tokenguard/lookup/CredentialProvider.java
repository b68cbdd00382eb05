package dev.tokenguard.lookup;

/**
 * How TokenGuard authenticates to a user API: a client-credentials token, a static API token, a locally signed
 * service-client JWT, or the caller's own access token. Thread-safe.
 */
interface CredentialProvider {

  /** No credential at all. */
  CredentialProvider NONE = new CredentialProvider() {
    @Override
    public String authorization(String userToken) {
      return null;
    }

    @Override
    public boolean invalidate() {
      return false;
    }
  };

  /** The caller's own access token (OIDC UserInfo). */
  CredentialProvider USER_TOKEN = new CredentialProvider() {
    @Override
    public String authorization(String userToken) {
      return "Bearer " + userToken;
    }

    @Override
    public boolean invalidate() {
      return false;
    }
  };

  /** A fixed token sent as {@code Bearer}. */
  static CredentialProvider staticToken(String token) {
    return new CredentialProvider() {
      @Override
      public String authorization(String userToken) {
        return "Bearer " + token;
      }

      @Override
      public boolean invalidate() {
        return false;
      }
    };
  }

  /**
   * The {@code Authorization} header value for one call, or {@code null} for none.
   *
   * @param userToken the caller's access token (used only by {@link #USER_TOKEN})
   * @throws UserLookupException when a management token cannot be obtained
   */
  String authorization(String userToken) throws UserLookupException;

  /** Forgets a cached credential after a 401; {@code true} when one retry with a fresh one makes sense. */
  boolean invalidate();
}
