import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';
import { keys } from './keys';
import { transactWrite } from './transactions';
import { auditPut, type AuditEntry } from './audit';
import { userItem, type UserRecord } from './users';
import { newGroupDirectoryPut } from './groups';
import { settingDefaults, type Settings } from '../schemas/settings';

export interface TenantRecord {
  id: string;
  name: string;
  domain: string;
  settings: Settings;
  createdAt: string;
  /** Admins who are active: an admin who would leave none is refused (last_admin). */
  activeAdmins?: number;
}

export type CreateTenantOutcome = 'created' | 'domain_taken' | 'email_taken';

/**
 * Creates the tenant, its domain claim, the admin's email claim and the admin in one
 * transaction: either all exist afterwards or none.
 */
export async function putTenantWithAdmin(tenant: TenantRecord, admin: UserRecord & { email: string }): Promise<CreateTenantOutcome> {
  const absent = 'attribute_not_exists(pk)';
  const failed = await transactWrite([
    { Put: { TableName: tableName, Item: { ...keys.domainClaim(tenant.domain), type: 'domainClaim', tenantId: tenant.id }, ConditionExpression: absent } },
    { Put: { TableName: tableName, Item: { ...keys.emailClaim(admin.email), type: 'emailClaim', tenantId: tenant.id, userId: admin.id }, ConditionExpression: absent } },
    { Put: { TableName: tableName, Item: { ...keys.tenant(tenant.id), type: 'tenant', ...tenant }, ConditionExpression: absent } },
    { Put: { TableName: tableName, Item: userItem(admin), ConditionExpression: absent } },
    newGroupDirectoryPut(tenant.id),
  ]);
  if (failed.has(0)) return 'domain_taken';
  if (failed.has(1)) return 'email_taken';
  // Tenant and admin ids are new: their conditions fail only if an id repeats.
  if (failed.size > 0) throw new Error(`Creating the tenant failed on items ${[...failed.keys()].join(', ')}`);
  return 'created';
}

export async function findTenantIdByDomain(domain: string): Promise<string | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.domainClaim(domain) }));
  return Item?.tenantId as string | undefined;
}

/**
 * Strongly consistent: a settings change is seen by the very next request. A tenant being
 * deleted reads as none, so sign-in by uid, sign-up and the workers refuse it at once.
 */
export async function getTenant(tenantId: string): Promise<TenantRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.tenant(tenantId), ConsistentRead: true }));
  return Item && Item.deleting !== true ? toTenantRecord(Item) : undefined;
}

/**
 * Sets only the fields named in the patch (two admins changing different settings at once
 * both win) and writes the audit entry in the same transaction. Answers the settings after,
 * or undefined when the tenant does not exist.
 */
export async function patchSettings(tenantId: string, patch: Partial<Settings>, audit: AuditEntry): Promise<Settings | undefined> {
  const fields = Object.entries(patch);
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: keys.tenant(tenantId),
        UpdateExpression: `SET ${fields.map((_, index) => `settings.#f${index} = :v${index}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], index) => [`#f${index}`, name])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], index) => [`:v${index}`, value])),
      },
    },
    auditPut(tenantId, audit),
  ]);
  return failed.size === 0 ? (await getTenant(tenantId))?.settings : undefined;
}

export function toTenantRecord(item: Record<string, unknown>): TenantRecord {
  const { id, name, domain, settings, createdAt } = item as unknown as TenantRecord;
  // Settings added since the tenant was made read as their defaults.
  return { id, name, domain, settings: { ...settingDefaults, ...settings }, createdAt };
}

/** In a transaction: one active admin fewer, refused (the item's condition fails) if none would be left. */
export const adminLeaves = (tenantId: string) => ({
  Update: {
    TableName: tableName,
    Key: keys.tenant(tenantId),
    UpdateExpression: 'SET activeAdmins = activeAdmins - :one',
    ConditionExpression: 'activeAdmins > :one',
    ExpressionAttributeValues: { ':one': 1 },
  },
});

/** In a transaction: one active admin more. */
export const adminReturns = (tenantId: string) => ({
  Update: { TableName: tableName, Key: keys.tenant(tenantId), UpdateExpression: 'ADD activeAdmins :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } },
});

/**
 * In a transaction: one letter run more under way, refused past `limit` (a counter on the
 * tenant item, so that runs asked for at once count one by one).
 */
export const letterRunStarts = (tenantId: string, limit: number) => ({
  Update: {
    TableName: tableName,
    Key: keys.tenant(tenantId),
    UpdateExpression: 'ADD runningLetterRuns :one',
    ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(runningLetterRuns) OR runningLetterRuns < :limit)',
    ExpressionAttributeValues: { ':one': 1, ':limit': limit },
  },
});

/** In the transaction that finishes a run: one letter run fewer under way. */
export const letterRunEnds = (tenantId: string) => ({
  Update: { TableName: tableName, Key: keys.tenant(tenantId), UpdateExpression: 'ADD runningLetterRuns :minusOne', ExpressionAttributeValues: { ':minusOne': -1 } },
});
