// A real OpenID Connect provider for Gatehouse's tests: oidc-provider (an OpenID-certified
// implementation) with a login form and a consent form of our own, so a test signs in the way a
// person does at Microsoft or Google, and controls what the ID token says (email, email_verified, amr).
//
//   node provider.js --port 0 --config '{"clients": [...], "accounts": [...]}'
//
// clients:  [{ "client_id", "client_secret", "redirect_uris": [...] }]
// accounts: [{ "login", "password", "email", "email_verified", "amr": ["pwd", "mfa"] }]
//
// Prints one line, `{"issuer": "http://127.0.0.1:PORT"}`, once it is listening; stops when its
// standard input closes (the test process ended, however it ended) or on SIGTERM.

import crypto from 'node:crypto';
import http from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, config: { type: 'string' } } });
const config = JSON.parse(values.config ?? '{"clients": [], "accounts": []}');
const accounts = config.accounts.map((account, n) => ({ sub: `user-${n + 1}`, ...account }));

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

// A fresh signing key per run: the relying party must fetch it from the JWKS endpoint to verify tokens.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: crypto.randomUUID(), alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    ...client,
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString('hex')] },
  // amr with the openid scope, so every ID token says how the person signed in, as Entra ID's do.
  claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
  ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
  // Like Microsoft and Google, put the scopes' claims (email) in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, sub) => {
    const account = accounts.find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: () => ({ sub, email: account.email, email_verified: account.email_verified, name: account.login }),
    };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res, status, title, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><title>${escape(title)}</title></head><body><main>${body}</main></body></html>`);
}

function loginForm(res, uid, problem) {
  const alert = problem ? `<p role="alert">${escape(problem)}</p>` : '';
  page(res, problem ? 401 : 200, 'Sign in', `<h1>Sign in to the school</h1>${alert}
    <form method="post" action="/interaction/${uid}/login">
      <label for="login">Email</label><input id="login" name="login" autocomplete="username">
      <label for="password">Password</label><input id="password" name="password" type="password">
      <button type="submit">Sign in</button>
    </form>
    <form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>`);
}

function consentForm(res, uid, clientId) {
  page(res, 200, 'Allow access', `<h1>Allow ${escape(clientId)} to see your email address?</h1>
    <form method="post" action="/interaction/${uid}/consent"><button type="submit">Allow</button></form>`);
}

async function form(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

async function login(req, res, uid) {
  const fields = await form(req);
  const account = accounts.find((a) => a.login === fields.login && a.password === fields.password);
  if (!account) return loginForm(res, uid, 'Wrong email or password.');
  // What the ID token's amr will say: how this person proved who they are.
  const result = { login: { accountId: account.sub, amr: account.amr ?? ['pwd'] } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
}

async function consent(req, res) {
  const { grantId, params, prompt, session } = await provider.interactionDetails(req, res);
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const result = { consent: { grantId: await grant.save() } };
  return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

async function interaction(req, res) {
  const [, , uid, step] = new URL(req.url, issuer).pathname.split('/');
  if (req.method === 'POST' && step === 'login') return login(req, res, uid);
  if (req.method === 'POST' && step === 'consent') return consent(req, res);
  if (req.method === 'POST' && step === 'abort') {
    // The person cancelled: back to the relying party with the OAuth error a real provider sends.
    const result = { error: 'access_denied', error_description: 'The person cancelled the sign-in.' };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') return loginForm(res, details.uid);
  return consentForm(res, details.uid, details.params.client_id);
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  interaction(req, res).catch((err) => page(res, 400, 'Error', `<p role="alert">${escape(err.message)}</p>`));
});

const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
console.log(JSON.stringify({ issuer }));
