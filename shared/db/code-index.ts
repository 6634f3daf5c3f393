import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, tableName } from './client';

/**
 * gsi1 is eventually consistent: a code made a moment ago may not be in it yet. A miss is
 * asked again once after this long before it counts as a wrong code.
 */
export const codeIndexCatchUpMs = 600;

type CodeIndexKey = { gsi1pk: string; gsi1sk: string };

async function tableKeyOf({ gsi1pk, gsi1sk }: CodeIndexKey): Promise<Record<string, unknown> | undefined> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
      ExpressionAttributeValues: { ':pk': gsi1pk, ':sk': gsi1sk },
      ProjectionExpression: 'pk, sk',
      Limit: 1,
    }),
  );
  return Items?.[0];
}

/** The item a code hash points to on gsi1, read again from the table to be current (the caller checks it still holds the hash). */
export async function findByCode(indexKey: CodeIndexKey): Promise<Record<string, unknown> | undefined> {
  let key = await tableKeyOf(indexKey);
  if (!key) {
    await new Promise((resolve) => setTimeout(resolve, codeIndexCatchUpMs));
    key = await tableKeyOf(indexKey);
  }
  if (!key) return undefined;
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }));
  return Item;
}
