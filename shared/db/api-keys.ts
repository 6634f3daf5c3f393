import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyScope } from '../schemas/api-keys';
import { auditPut, type AuditEntry } from './audit';
import { batchGetAll } from './batch';
import { db, tableName } from './client';
import { keys, recordOf } from './keys';
import { conditionalWrite, transactWrite } from './transactions';

/**
 * An API key's item, alone under its own key: the request's one read finds the key, its
 * tenant's identity and its rate window; the one write counts the request. The tenant item
 * keeps the set of live key ids (apiKeyIds), which caps them and lists them.
 */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  tenantName: string;
  tenantDomain: string;
  name: string;
  scopes: ApiKeyScope[];
  /** SHA-256 of the key's secret, hex; never the key. */
  secretHash: string;
  createdAt: string;
  /** The admin who created it. */
  createdBy: string;
  lastUsedAt?: string;
  /** The minute (since the epoch) rateCount counts requests of. */
  rateWindow?: number;
  rateCount?: number;
}

/**
 * Stores a new key, adds it to the tenant's live keys and records it in the audit log, in one
 * transaction: refused when the tenant already has `limit` live keys, so N at once leave at
 * most `limit`.
 */
export async function putApiKey(record: ApiKeyRecord, limit: number, audit: AuditEntry): Promise<'created' | 'too_many' | 'no_tenant'> {
  const failed = await transactWrite([
    { Put: { TableName: tableName, Item: { ...keys.apiKey(record.tenantId, record.id), type: 'apiKey', ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Update: {
        TableName: tableName,
        Key: keys.tenant(record.tenantId),
        UpdateExpression: 'ADD apiKeyIds :id',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(deleting) AND (attribute_not_exists(apiKeyIds) OR size(apiKeyIds) < :limit)',
        ExpressionAttributeValues: { ':id': new Set([record.id]), ':limit': limit },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
    auditPut(record.tenantId, audit),
  ]);
  if (failed.has(1)) {
    // The tenant as it was, in DynamoDB's own JSON: gone, or being deleted (a key made now would outlive the sweep), or full.
    const tenant = failed.get(1) as { deleting?: { BOOL?: boolean } } | undefined;
    return !tenant || tenant.deleting?.BOOL === true ? 'no_tenant' : 'too_many';
  }
  if (failed.size > 0) throw new Error(`Creating the API key failed on items ${[...failed.keys()].join(', ')}`);
  return 'created';
}

/** Strongly consistent: a key revoked a moment ago is gone for the very next request. */
export async function getApiKey(tenantId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.apiKey(tenantId, keyId), ConsistentRead: true }));
  return Item ? recordOf<ApiKeyRecord>(Item) : undefined;
}

/** The ids of the tenant's live keys, as the tenant item names them (strongly consistent). */
export async function liveApiKeyIds(tenantId: string): Promise<string[]> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.tenant(tenantId), ConsistentRead: true, ProjectionExpression: 'apiKeyIds' }));
  return [...((Item?.apiKeyIds as Set<string> | undefined) ?? [])];
}

/** The tenant's live keys, oldest first: the tenant item names them, one BatchGet reads them. */
export async function listApiKeyRecords(tenantId: string): Promise<ApiKeyRecord[]> {
  const ids = await liveApiKeyIds(tenantId);
  const items = await batchGetAll(ids.map((id) => keys.apiKey(tenantId, id)), { consistent: true });
  return items.map((item) => recordOf<ApiKeyRecord>(item)).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Deletes the key (the next request with it finds nothing), takes it from the tenant's live keys and records it, in one transaction. */
export async function deleteApiKey(tenantId: string, keyId: string, audit: AuditEntry): Promise<'revoked' | 'not_found'> {
  const failed = await transactWrite([
    { Delete: { TableName: tableName, Key: keys.apiKey(tenantId, keyId), ConditionExpression: 'attribute_exists(pk)' } },
    { Update: { TableName: tableName, Key: keys.tenant(tenantId), UpdateExpression: 'DELETE apiKeyIds :id', ExpressionAttributeValues: { ':id': new Set([keyId]) } } },
    auditPut(tenantId, audit),
  ]);
  return failed.has(0) ? 'not_found' : 'revoked';
}

/**
 * Counts one request of a key in the minute `window` and records it as the key's last use:
 * one conditional UpdateItem, so that N requests at once count N and the (limit+1)th of a
 * minute is refused. `key` is the item as the request read it: that tells which write to try
 * first (the next in this minute, or the first of a new one); only a request racing the turn
 * of the minute tries the other. Never recreates a key revoked meanwhile: when both writes
 * fail, one more read tells a key revoked since the request read it from one over its limit.
 */
export async function countApiKeyUse(key: ApiKeyRecord, window: number, limit: number, now: string): Promise<'counted' | 'over_limit' | 'revoked'> {
  const Key = keys.apiKey(key.tenantId, key.id);
  const next = () =>
    conditionalWrite(() =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'SET lastUsedAt = :now ADD rateCount :one',
          // >=: an instance whose clock lags the one that opened the next minute counts there, rather than answering 429.
          ConditionExpression: 'rateWindow >= :window AND rateCount < :limit',
          ExpressionAttributeValues: { ':now': now, ':one': 1, ':window': window, ':limit': limit },
        }),
      ),
    );
  const first = () =>
    conditionalWrite(() =>
      db.send(
        new UpdateCommand({
          TableName: tableName,
          Key,
          UpdateExpression: 'SET lastUsedAt = :now, rateWindow = :window, rateCount = :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(rateWindow) OR rateWindow < :window)',
          ExpressionAttributeValues: { ':now': now, ':one': 1, ':window': window },
        }),
      ),
    );
  const order = (key.rateWindow ?? -1) >= window ? [next, first] : [first, next];
  for (const write of order) if ((await write()) === 'written') return 'counted';
  return (await getApiKey(key.tenantId, key.id)) ? 'over_limit' : 'revoked';
}
