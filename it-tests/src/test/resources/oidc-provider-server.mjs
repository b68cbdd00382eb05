// A real OAuth 2.0 authorization server for TokenGuard's tests (OidcProviderServer): oidc-provider on 127.0.0.1, opaque access tokens,
// RFC 7662 introspection (RFC 9701 signed answers), RFC 7009 revocation, DPoP-bound tokens (RFC 9449) by the client credentials
// grant. Tokens are minted without a browser by a test-only grant, or by client credentials with a DPoP proof.
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || 0);
const issuer = `http://127.0.0.1:${port}`;
const GRANT = 'urn:tokenguard:test:token';

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'minter', client_secret: 'minter-secret', grant_types: [GRANT], response_types: [], redirect_uris: [] },
    { client_id: 'dpop-client', client_secret: 'dpop-secret', grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
    { client_id: 'orders-api', client_secret: 'orders-secret', grant_types: [], response_types: [], redirect_uris: [] },
    { client_id: 'orders-api-post', client_secret: 'post-secret', token_endpoint_auth_method: 'client_secret_post',
      grant_types: [], response_types: [], redirect_uris: [] },
    ...(process.env.PRIVATE_KEY_JWT_JWKS ? [{ client_id: 'orders-api-jwt', token_endpoint_auth_method: 'private_key_jwt',
      jwks: JSON.parse(process.env.PRIVATE_KEY_JWT_JWKS), grant_types: [], response_types: [], redirect_uris: [] }] : []),
  ],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    dPoP: { enabled: true }, // a token asked for with a DPoP proof is bound to its key: cnf.jkt, also in introspection
    introspection: { enabled: true, allowedPolicy: async () => true },
    jwtIntrospection: { enabled: true }, // RFC 9701: a signed answer to Accept: application/token-introspection+jwt
    revocation: { enabled: true },
  },
  ttl: { AccessToken: 3600 },
  scopes: ['openid', 'orders:read', 'orders:write', 'admin:write'],
});
provider.proxy = false;

provider.registerGrantType(GRANT, async (ctx) => {
  const { params, client } = ctx.oidc;
  const token = new provider.AccessToken({ accountId: params.sub, client, scope: params.scope || undefined });
  if (params.audience) {
    token.aud = params.audience;
  }
  if (params.ttl) {
    token.expiresIn = Number(params.ttl);
  }
  const value = await token.save();
  ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: token.scope };
}, ['sub', 'scope', 'audience', 'ttl']);

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
// ends with the test's JVM: when stdin closes (the JVM is gone) or on SIGTERM (Process.destroy)
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
