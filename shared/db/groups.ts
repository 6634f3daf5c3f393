import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';
import { db, tableName } from './client';
import { keys } from './keys';
import { everyPage, queryPartition, type Page } from './pagination';
import { transactWrite } from './transactions';

export interface GroupRecord {
  id: string;
  tenantId: string;
  name: string;
  isDefault: boolean;
  createdAt: string;
}

/** Two names that differ only in case or Unicode form are the same name. */
export const groupNameKey = (name: string) => name.normalize('NFKC').toLowerCase();

const toGroup = (item: Record<string, unknown>): GroupRecord => {
  const { id, tenantId, name, isDefault, createdAt } = item as unknown as GroupRecord;
  return { id, tenantId, name, isDefault, createdAt };
};

/**
 * The group directory: one item per tenant, made with it, holding every group's name as an
 * attribute `group:<id>`, changed in the same transaction as the group itself.
 */
const directoryAttribute = (groupId: string) => `group:${groupId}`;

function directoryChange(tenantId: string, groupId: string, name: string | undefined) {
  return {
    Update: {
      TableName: tableName,
      Key: keys.groupDirectory(tenantId),
      UpdateExpression: name === undefined ? 'SET #type = :type REMOVE #group' : 'SET #type = :type, #group = :name',
      ExpressionAttributeNames: { '#type': 'type', '#group': directoryAttribute(groupId) },
      ExpressionAttributeValues: { ':type': 'groupDirectory', ...(name === undefined ? {} : { ':name': name }) },
    },
  };
}

/** The directory of a new tenant, put in the transaction that creates it. */
export const newGroupDirectoryPut = (tenantId: string) => ({
  Put: { TableName: tableName, Item: { ...keys.groupDirectory(tenantId), type: 'groupDirectory' }, ConditionExpression: 'attribute_not_exists(pk)' },
});

/** Group names by id from the directory item. */
export function groupNamesOf(item: Record<string, unknown> | undefined): ReadonlyMap<string, string> {
  const prefix = directoryAttribute('');
  return new Map(Object.entries(item ?? {}).flatMap(([attribute, name]) => (attribute.startsWith(prefix) ? [[attribute.slice(prefix.length), String(name)]] : [])));
}

/** The tenant's group names by id, from the one directory item. */
export async function getGroupNames(tenantId: string): Promise<ReadonlyMap<string, string>> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.groupDirectory(tenantId) }));
  return groupNamesOf(Item);
}

/** Creates the group and claims its name in one transaction. */
export async function putGroup(group: GroupRecord): Promise<'created' | 'name_taken'> {
  const failed = await transactWrite([
    { Put: { TableName: tableName, Item: { ...keys.groupNameClaim(group.tenantId, groupNameKey(group.name)), type: 'groupName', groupId: group.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName, Item: { ...keys.group(group.tenantId, group.id), type: 'group', ...group }, ConditionExpression: 'attribute_not_exists(pk)' } },
    directoryChange(group.tenantId, group.id, group.name),
  ]);
  return failed.has(0) ? 'name_taken' : 'created';
}

export async function getGroup(tenantId: string, groupId: string): Promise<GroupRecord | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.group(tenantId, groupId), ConsistentRead: true }));
  return Item ? toGroup(Item) : undefined;
}

/** The groups among `groupIds` that exist in the tenant (others are left out). */
export async function getGroups(tenantId: string, groupIds: readonly string[]): Promise<GroupRecord[]> {
  const unique = [...new Set(groupIds)];
  const found = (await batchGetAll(unique.map((id) => keys.group(tenantId, id)), { consistent: true })).map(toGroup);
  const order = new Map(unique.map((id, index) => [id, index]));
  return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
}

export function listGroups(tenantId: string, page: { limit: number; cursor?: string }): Promise<Page<GroupRecord>> {
  return queryPartition({ pk: keys.tenantPartition(tenantId), skPrefix: keys.groupPrefix, ...page, map: toGroup });
}

export async function defaultGroupIds(tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  const pages = everyPage({
    pk: keys.tenantPartition(tenantId),
    skPrefix: keys.groupPrefix,
    filter: { expression: 'isDefault = :yes', values: { ':yes': true } },
    projection: 'id',
  });
  for await (const items of pages) ids.push(...items.map((item) => item.id as string));
  return ids;
}

export type GroupChangeOutcome = 'updated' | 'not_found' | 'name_taken';

/** Renames (moving the name claim) and/or flips isDefault, all in one transaction. */
export async function updateGroup(current: GroupRecord, change: { name?: string; isDefault?: boolean }): Promise<GroupChangeOutcome> {
  const renamed = change.name !== undefined && groupNameKey(change.name) !== groupNameKey(current.name);
  const name = change.name ?? current.name;
  const isDefault = change.isDefault ?? current.isDefault;
  const failed = await transactWrite([
    {
      Update: {
        TableName: tableName,
        Key: keys.group(current.tenantId, current.id),
        UpdateExpression: 'SET #name = :name, isDefault = :isDefault',
        ConditionExpression: 'attribute_exists(pk) AND #name = :currentName',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': name, ':isDefault': isDefault, ':currentName': current.name },
      },
    },
    ...(renamed
      ? [
          { Put: { TableName: tableName, Item: { ...keys.groupNameClaim(current.tenantId, groupNameKey(name)), type: 'groupName', groupId: current.id }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Delete: { TableName: tableName, Key: keys.groupNameClaim(current.tenantId, groupNameKey(current.name)) } },
        ]
      : []),
    ...(name !== current.name ? [directoryChange(current.tenantId, current.id, name)] : []),
  ]);
  if (failed.has(1)) return 'name_taken';
  if (failed.has(0)) return 'not_found';
  return 'updated';
}

/**
 * Deletes the group with the name claim it had when read: conditioned on that name, so that
 * a rename committed meanwhile (which moved the claim) is not left with an orphan claim.
 */
export async function deleteGroup(group: GroupRecord): Promise<'deleted' | 'not_found'> {
  const failed = await transactWrite([
    {
      Delete: {
        TableName: tableName,
        Key: keys.group(group.tenantId, group.id),
        ConditionExpression: 'attribute_exists(pk) AND #name = :name',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': group.name },
      },
    },
    { Delete: { TableName: tableName, Key: keys.groupNameClaim(group.tenantId, groupNameKey(group.name)) } },
    directoryChange(group.tenantId, group.id, undefined),
  ]);
  return failed.has(0) ? 'not_found' : 'deleted';
}
