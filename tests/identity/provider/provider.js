// A real OpenID Connect provider for the identity tests: panva/node-oidc-provider (OpenID
// Certified), configured like a city's provider would be. The tests start and stop it.
//
// Environment:
//   PORT           the port to listen on (127.0.0.1)
//   ISSUER         the issuer URL (defaults to http://127.0.0.1:PORT)
//   KEYS_FILE      the private JWK set; generated (one RSA key, random kid) when missing, so a
//                  test rotates keys by restarting with another file
//   ACCOUNTS_FILE  JSON {subject: {role, city, name, ttl?}} read at each sign-in, so tests add
//                  people while the provider runs
//   CONFIG_FILE    JSON {clients: [...], resources: {indicator: {audience, scope}}}
//
// Users sign in through the authorization-code grant with PKCE on the built-in development
// login page (any subject, no password check: this is the test provider, not the city's);
// services use the client-credentials grant. Access tokens are JWTs for the requested
// resource (RFC 8707), with the person's role, city and name added as claims.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = process.env.ISSUER || `http://127.0.0.1:${port}`;
const config = JSON.parse(readFileSync(process.env.CONFIG_FILE, 'utf8'));

function signingKeys(path) {
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };
    writeFileSync(path, JSON.stringify({ keys: [jwk] }));
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

function account(id) {
  const accounts = JSON.parse(readFileSync(process.env.ACCOUNTS_FILE, 'utf8'));
  return accounts[id];
}

const provider = new Provider(issuer, {
  jwks: signingKeys(process.env.KEYS_FILE),
  clients: config.clients,
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, name: account(id)?.name }),
  }),
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (ctx, client, oneOf) => oneOf,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, indicator) => {
        const server = config.resources[indicator];
        if (!server) throw new Provider.errors.InvalidTarget();
        return {
          scope: server.scope,
          audience: server.audience,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // First-party clients: no consent page, the grant covers what was asked.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid');
    for (const [indicator, server] of Object.entries(config.resources)) {
      grant.addResourceScope(indicator, server.scope);
    }
    await grant.save();
    return grant;
  },
  extraTokenClaims: async (ctx, token) => {
    if (!token.accountId) return undefined;
    const person = account(token.accountId);
    if (!person) return undefined;
    return { role: person.role, city: person.city, name: person.name };
  },
  ttl: {
    AccessToken: (ctx, token) => (token.accountId && account(token.accountId)?.ttl) || 600,
    ClientCredentials: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
    IdToken: 600,
    AuthorizationCode: 60,
  },
  pkce: { required: () => true },
});

provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});
