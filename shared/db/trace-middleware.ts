import { DescribeTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { itemSize } from './item-size';
import { indexWrites, mergeAccesses, readUnits, writeUnits, type Access, type TableSchema } from './capacity-units';
import { epochMs, tracedInvocation, writeTraceLine } from './trace';

/**
 * SDK middleware that records each DynamoDB request of a traced invocation (trace.ts): its
 * operation, when it was sent and answered, and the partition keys it touched with their
 * capacity units (capacity-units.ts). Only keys, sizes and units are written, never item
 * contents. To know what a write changed it reads the items before and after, untraced and
 * strongly consistent, inside the request's sentMs..answeredMs (see below). Tracing must
 * never change an answer: a failure of the recorder itself is noted on the line and ignored.
 */

type Item = Record<string, unknown>;
type Input = Record<string, unknown>;

interface Recording {
  /** The accesses, once the request has been answered (output) or has failed (error). */
  accesses(output: Item | undefined, error: unknown): Promise<Access[]>;
}

export function traceRequests(client: DynamoDBClient, clientConfig: DynamoDBClientConfig): void {
  let untracedClient: DynamoDBDocumentClient | undefined;
  const untraced = () => (untracedClient ??= DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig)));
  const schemas = new Map<string, Promise<TableSchema>>();
  const schemaOf = (tableName: string) => {
    let schema = schemas.get(tableName);
    if (!schema) {
      schema = describe(untraced(), tableName);
      schemas.set(tableName, schema);
      schema.catch(() => schemas.delete(tableName));
    }
    return schema;
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const invocation = tracedInvocation();
      if (!invocation) return next(args);
      const op = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as Input;
      // The recorder's own reads fall between sentMs and answeredMs, with the request itself:
      // the model replaces that whole interval by AWS's latency, so they never count as the
      // invocation's own time between requests.
      const sentMs = epochMs();
      let recording: Recording | undefined;
      let recorderError: string | undefined;
      try {
        recording = await record(op, input, { db: untraced(), schemaOf });
      } catch (error) {
        recorderError = (error as Error).message;
      }
      let answer: Awaited<ReturnType<typeof next>> | undefined;
      let failure: unknown;
      try {
        answer = await next(args);
      } catch (error) {
        failure = error;
      }
      let accesses: Access[] = [];
      try {
        accesses = recording ? mergeAccesses(await recording.accesses(answer?.output as Item | undefined, failure)) : [];
      } catch (error) {
        recorderError ??= (error as Error).message;
      }
      const answeredMs = epochMs();
      writeTraceLine({
        t: 'request',
        id: invocation.id,
        op,
        sentMs,
        answeredMs,
        accesses,
        ...(failure ? { failed: (failure as Error).name } : {}),
        ...(recorderError ? { recorderError } : {}),
      });
      if (failure) throw failure;
      return answer!;
    },
    { step: 'initialize', priority: 'high', name: 'traceRequests' },
  );
}

interface Tools {
  db: DynamoDBDocumentClient;
  schemaOf(tableName: string): Promise<TableSchema>;
}

async function describe(db: DynamoDBDocumentClient, tableName: string): Promise<TableSchema> {
  const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
  const keyOf = (schema: { AttributeName?: string; KeyType?: string }[] | undefined, type: 'HASH' | 'RANGE') => schema?.find((key) => key.KeyType === type)?.AttributeName;
  return {
    partitionKey: keyOf(Table?.KeySchema, 'HASH')!,
    ...(keyOf(Table?.KeySchema, 'RANGE') ? { sortKey: keyOf(Table?.KeySchema, 'RANGE')! } : {}),
    indexes: (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
      name: index.IndexName!,
      partitionKey: keyOf(index.KeySchema, 'HASH')!,
      ...(keyOf(index.KeySchema, 'RANGE') ? { sortKey: keyOf(index.KeySchema, 'RANGE')! } : {}),
      projection: (index.Projection?.ProjectionType ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      ...(index.Projection?.NonKeyAttributes ? { include: index.Projection.NonKeyAttributes } : {}),
    })),
  };
}

const keyOf = (schema: TableSchema, item: Item): Item => ({ [schema.partitionKey]: item[schema.partitionKey], ...(schema.sortKey ? { [schema.sortKey]: item[schema.sortKey] } : {}) });
const keyId = (schema: TableSchema, key: Item) => JSON.stringify([key[schema.partitionKey], schema.sortKey ? key[schema.sortKey] : null]);

/** The current items of these keys, strongly consistent, untraced: 100 keys a request. */
async function readKeys(db: DynamoDBDocumentClient, tableName: string, schema: TableSchema, keyList: Item[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  const unique = [...new Map(keyList.map((key) => [keyId(schema, key), key])).values()];
  for (let start = 0; start < unique.length; start += 100) {
    let pending: Item[] | undefined = unique.slice(start, start + 100);
    while (pending && pending.length > 0) {
      const answer: { Responses?: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys?: Item[] }> } = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) found.set(keyId(schema, item), item);
      pending = answer.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return found;
}

/** One item a write touches: its table, its key, and (a Put) the item it sends. */
interface WriteTarget {
  tableName: string;
  key: Item;
  put?: Item;
  conditionCheck?: boolean;
}

/** Units of writes from the images before and after: the table key, then every index the change reaches. */
async function recordWrites(targets: WriteTarget[], tools: Tools, transactional: boolean): Promise<Recording> {
  const byTable = new Map<string, WriteTarget[]>();
  for (const target of targets) byTable.set(target.tableName, [...(byTable.get(target.tableName) ?? []), target]);
  const before = new Map<string, { schema: TableSchema; items: Map<string, Item> }>();
  for (const [tableName, list] of byTable) {
    const schema = await tools.schemaOf(tableName);
    before.set(tableName, { schema, items: await readKeys(tools.db, tableName, schema, list.map((target) => target.key)) });
  }
  return {
    async accesses(output, error) {
      const accesses: Access[] = [];
      for (const [tableName, list] of byTable) {
        const { schema, items } = before.get(tableName)!;
        const left = new Set(unprocessedKeys(output, tableName, schema));
        const written = list.filter((target) => !left.has(keyId(schema, target.key)));
        // A failed request changed nothing (a cancelled transaction, a failed condition).
        const after = error ? items : await readKeys(tools.db, tableName, schema, written.map((target) => target.key));
        for (const target of written) {
          const id = keyId(schema, target.key);
          const old = items.get(id);
          const pk = String(target.key[schema.partitionKey]);
          if (target.conditionCheck) {
            accesses.push({ index: 'table', pk, kind: 'write', units: writeUnits(old, undefined, { transactional }) });
            continue;
          }
          const now = after.get(id);
          // A failed Put is still charged for the larger of the item there and the item it sent.
          accesses.push({ index: 'table', pk, kind: 'write', units: writeUnits(old, error && target.put ? target.put : now, { transactional }) });
          accesses.push(...indexWrites(schema, old, now));
        }
      }
      return accesses;
    },
  };
}

/** The keys of a BatchWriteItem's items that DynamoDB left unprocessed (not written, not charged). */
function unprocessedKeys(output: Item | undefined, tableName: string, schema: TableSchema): string[] {
  const requests = (output?.UnprocessedItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]> | undefined)?.[tableName] ?? [];
  return requests.map((request) => keyId(schema, request.DeleteRequest?.Key ?? keyOf(schema, request.PutRequest!.Item)));
}

/** The read units of items found (or not) under each key, per key: BatchGetItem and TransactGetItems. */
function perKeyReads(schema: TableSchema, keyList: Item[], found: Item[], options: { consistent?: boolean; transactional?: boolean }): Access[] {
  const byKey = new Map(found.map((item) => [keyId(schema, item), item]));
  return keyList.map((key) => ({ index: 'table', pk: String(key[schema.partitionKey]), kind: 'read' as const, units: readUnits(itemSize(byKey.get(keyId(schema, key))), options) }));
}

const writeTarget = (tableName: string, schema: TableSchema, request: { Item?: Item; Key?: Item }, conditionCheck = false): WriteTarget => ({
  tableName,
  key: request.Key ?? keyOf(schema, request.Item!),
  ...(request.Item ? { put: request.Item } : {}),
  ...(conditionCheck ? { conditionCheck } : {}),
});

async function record(op: string, input: Input, tools: Tools): Promise<Recording | undefined> {
  switch (op) {
    case 'GetItem': {
      const schema = await tools.schemaOf(input.TableName as string);
      const key = input.Key as Item;
      return {
        async accesses(output) {
          // A projection returns part of the item, but the whole item is read and charged.
          const item = input.ProjectionExpression ? (await readKeys(tools.db, input.TableName as string, schema, [key])).get(keyId(schema, key)) : (output?.Item as Item | undefined);
          return [{ index: 'table', pk: String(key[schema.partitionKey]), kind: 'read', units: readUnits(itemSize(item), { consistent: input.ConsistentRead === true }) }];
        },
      };
    }
    case 'BatchGetItem': {
      const requests = Object.entries(input.RequestItems as Record<string, { Keys: Item[]; ConsistentRead?: boolean; ProjectionExpression?: string }>);
      const schemas = await Promise.all(requests.map(([tableName]) => tools.schemaOf(tableName)));
      return {
        async accesses(output) {
          const responses = (output?.Responses ?? {}) as Record<string, Item[]>;
          const unprocessed = (output?.UnprocessedKeys ?? {}) as Record<string, { Keys?: Item[] }>;
          const accesses: Access[] = [];
          for (const [index, [tableName, request]] of requests.entries()) {
            const schema = schemas[index]!;
            const left = new Set((unprocessed[tableName]?.Keys ?? []).map((key) => keyId(schema, key)));
            const asked = request.Keys.filter((key) => !left.has(keyId(schema, key)));
            const found = request.ProjectionExpression ? [...(await readKeys(tools.db, tableName, schema, asked)).values()] : (responses[tableName] ?? []);
            accesses.push(...perKeyReads(schema, asked, found, { consistent: request.ConsistentRead === true }));
          }
          return accesses;
        },
      };
    }
    case 'TransactGetItems': {
      const gets = (input.TransactItems as { Get: { TableName: string; Key: Item } }[]).map((item) => item.Get);
      const schemas = await Promise.all(gets.map((get) => tools.schemaOf(get.TableName)));
      return {
        accesses: async (output) =>
          gets.flatMap((get, index) => {
            const item = (output?.Responses as { Item?: Item }[] | undefined)?.[index]?.Item;
            return perKeyReads(schemas[index]!, [get.Key], item ? [item] : [], { transactional: true });
          }),
      };
    }
    case 'Query':
      return recordQuery(input, tools);
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem': {
      const schema = await tools.schemaOf(input.TableName as string);
      return recordWrites([writeTarget(input.TableName as string, schema, input as { Item?: Item; Key?: Item })], tools, false);
    }
    case 'BatchWriteItem': {
      const targets: WriteTarget[] = [];
      for (const [tableName, requests] of Object.entries(input.RequestItems as Record<string, { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]>)) {
        const schema = await tools.schemaOf(tableName);
        for (const request of requests) targets.push(writeTarget(tableName, schema, request.PutRequest ?? request.DeleteRequest!));
      }
      return recordWrites(targets, tools, false);
    }
    case 'TransactWriteItems': {
      const targets: WriteTarget[] = [];
      for (const item of input.TransactItems as Record<string, { TableName: string; Item?: Item; Key?: Item }>[]) {
        const [action, request] = Object.entries(item)[0]!;
        targets.push(writeTarget(request.TableName, await tools.schemaOf(request.TableName), request, action === 'ConditionCheck'));
      }
      return recordWrites(targets, tools, true);
    }
    default:
      return undefined;
  }
}

/**
 * A Query costs the items it read, before any filter, rounded up to 4 KB once. It is run
 * again untraced with the same key condition, index, order, limit and start but no filter or
 * projection, which reads the same items and returns them whole.
 */
async function recordQuery(input: Input, tools: Tools): Promise<Recording> {
  const tableName = input.TableName as string;
  const schema = await tools.schemaOf(tableName);
  const indexName = input.IndexName as string | undefined;
  const partitionKey = indexName ? schema.indexes.find((index) => index.name === indexName)?.partitionKey : schema.partitionKey;
  const condition = input.KeyConditionExpression as string;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  let pk = '?';
  for (const match of condition.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((names[match[1]!] ?? match[1]) === partitionKey) pk = String(values[match[2]!]);
  }
  const used = (placeholders: Record<string, unknown>) => Object.fromEntries(Object.entries(placeholders).filter(([name]) => new RegExp(`${name}(?![\\w])`).test(condition)));
  const usedNames = used(names);
  const consistent = !indexName && input.ConsistentRead === true;
  // Without a filter, a projection or a Select the answer holds exactly the items read.
  const answerIsWhatWasRead = !input.FilterExpression && !input.ProjectionExpression && !input.Select;
  return {
    async accesses(output) {
      const { Items } = answerIsWhatWasRead
        ? { Items: output?.Items as Item[] | undefined }
        : await tools.db.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: condition,
              ExpressionAttributeValues: used(values),
              ...(Object.keys(usedNames).length > 0 ? { ExpressionAttributeNames: usedNames as Record<string, string> } : {}),
              ...(indexName ? { IndexName: indexName } : {}),
              ...(input.Limit !== undefined ? { Limit: input.Limit as number } : {}),
              ...(input.ExclusiveStartKey ? { ExclusiveStartKey: input.ExclusiveStartKey as Item } : {}),
              ...(input.ScanIndexForward !== undefined ? { ScanIndexForward: input.ScanIndexForward as boolean } : {}),
              ...(consistent ? { ConsistentRead: true } : {}),
            }),
          );
      const bytes = (Items ?? []).reduce((sum, item) => sum + itemSize(item), 0);
      return [{ index: indexName ?? 'table', pk, kind: 'read', units: readUnits(bytes, { consistent }) }];
    },
  };
}
