import { config } from '../config';
import { newApiKey, newId, parseApiKey, secretsEqual, sha256Hex } from '../auth/tokens';
import { countApiKeyUse, deleteApiKey, getApiKey, listApiKeyRecords, putApiKey, type ApiKeyRecord } from '../db/api-keys';
import { DomainError, notFound } from '../core/errors';
import { maxApiKeysPerTenant, type ApiKeyScope, type CreateApiKeyInput } from '../schemas/api-keys';
import { auditBy } from './audit';
import type { KeyPrincipal, PersonPrincipal } from './principal';
import { counters, refuseUnlessAllTaken, takeAttempts } from './throttle';
import { organisationGone } from './settings';

const publicView = (record: ApiKeyRecord) => ({
  id: record.id,
  name: record.name,
  scopes: record.scopes,
  createdAt: record.createdAt,
  ...(record.lastUsedAt !== undefined ? { lastUsedAt: record.lastUsedAt } : {}),
});

/** An admin (a person) makes a key; the answer is the only place the key ever shows. */
export async function createApiKey(principal: PersonPrincipal, input: CreateApiKeyInput) {
  const id = newId();
  const { key, secretHash } = newApiKey(principal.tenant.id, id);
  const record: ApiKeyRecord = {
    id,
    tenantId: principal.tenant.id,
    tenantName: principal.tenant.name,
    tenantDomain: principal.tenant.domain,
    name: input.name,
    scopes: input.scopes,
    secretHash,
    createdAt: new Date().toISOString(),
    createdBy: principal.user.id,
  };
  const audit = auditBy(principal, 'api_key.created', { type: 'apiKey', id }, { name: record.name, scopes: record.scopes }, record.createdAt);
  const outcome = await putApiKey(record, maxApiKeysPerTenant, audit);
  if (outcome === 'no_tenant') throw organisationGone();
  if (outcome === 'too_many') {
    throw new DomainError('too_many_api_keys', {
      en: `An organisation holds at most ${maxApiKeysPerTenant} API keys; revoke one it no longer uses first.`,
      fr: `Une organisation détient au plus ${maxApiKeysPerTenant} clés d’API ; révoquez d’abord une clé qui ne sert plus.`,
    });
  }
  return { id, name: record.name, scopes: record.scopes, key, createdAt: record.createdAt };
}

export async function listApiKeys(principal: PersonPrincipal) {
  return { items: (await listApiKeyRecords(principal.tenant.id)).map(publicView) };
}

/** Deletes the key: the next request with it reads nothing and is refused. */
export async function revokeApiKey(principal: PersonPrincipal, keyId: string): Promise<void> {
  const existing = await getApiKey(principal.tenant.id, keyId);
  if (!existing) throw notFound({ en: 'The API key', fr: 'La clé d’API' });
  const audit = auditBy(principal, 'api_key.revoked', { type: 'apiKey', id: keyId }, { name: existing.name });
  if ((await deleteApiKey(principal.tenant.id, keyId, audit)) === 'not_found') throw notFound({ en: 'The API key', fr: 'La clé d’API' });
}

const invalidKey = () =>
  new DomainError('invalid_token', { en: 'The API key is malformed, unknown or revoked.', fr: 'La clé d’API est mal formée, inconnue ou révoquée.' });

/** A bad key counts against the client address (429 too_many_attempts past the limit), like a wrong password. */
async function refuseBadKey(clientIp: string): Promise<never> {
  await refuseUnlessAllTaken(await takeAttempts([counters.apiKeyClient(clientIp)]));
  throw invalidKey();
}

const minuteOf = (time: number) => Math.floor(time / 60_000);

/**
 * Admits a request with an API key: one read finds the key (its hash compared in constant
 * time); a route the key's scopes do not reach is refused before anything is written; then
 * one conditional write counts the request against the key's limit a minute and records it
 * as the last use. `scope` is what the route needs; undefined: a route for people only.
 */
export async function admitApiKey(credential: string, clientIp: string, scope: ApiKeyScope | undefined): Promise<KeyPrincipal> {
  const parsed = parseApiKey(credential);
  if (!parsed) return refuseBadKey(clientIp);
  const record = await getApiKey(parsed.tenantId, parsed.keyId);
  const matches = secretsEqual(sha256Hex(parsed.secret), record?.secretHash ?? '');
  if (!record || !matches) return refuseBadKey(clientIp);
  if (scope === undefined) {
    throw new DomainError('forbidden', { en: 'Only a person may do this; an API key cannot.', fr: 'Seule une personne peut faire cela ; une clé d’API ne le peut pas.' });
  }
  if (!record.scopes.includes(scope)) {
    throw new DomainError('insufficient_scope', { en: `This route needs an API key with the scope ${scope}.`, fr: `Cette route demande une clé d’API avec la portée ${scope}.` });
  }
  const now = Date.now();
  const window = minuteOf(now);
  const limit = config.API_KEY_REQUESTS_PER_MINUTE;
  // The read already shows this minute's requests used up: refused without a write.
  const spent = (record.rateWindow ?? -1) >= window && (record.rateCount ?? 0) >= limit;
  const counted = spent ? 'over_limit' : await countApiKeyUse(record, window, limit, new Date(now).toISOString());
  // Revoked between this request's read and its write: refused as the next request will be (no guess to count).
  if (counted === 'revoked') throw invalidKey();
  if (counted === 'over_limit') {
    const retryAfter = Math.max(1, (window + 1) * 60 - Math.floor(now / 1000));
    throw new DomainError(
      'too_many_requests',
      { en: `An API key makes at most ${limit} requests a minute; try again in ${retryAfter} seconds.`, fr: `Une clé d’API fait au plus ${limit} requêtes par minute ; réessayez dans ${retryAfter} secondes.` },
      { headers: { 'retry-after': String(retryAfter) }, retryAfterSeconds: retryAfter },
    );
  }
  return { kind: 'apiKey', apiKey: { id: record.id, name: record.name, scopes: record.scopes }, tenant: { id: record.tenantId, name: record.tenantName, domain: record.tenantDomain } };
}
