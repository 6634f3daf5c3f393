import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTable, startDynamoDbLocal } from './dynamodb';
import { startLocalS3 } from './s3';
import { loadHandlers, startGateway, type LambdaHandler } from './gateway';
import { startLambdaApi } from './lambda-api';
import { fallbackRoute, routeList } from '../../shared/api/routes';
import { workers, type WorkerSpec } from '../workers';
import { handlerInOwnProcess, invokeAsync, type ProcessReport } from './invoker';
import { bundleHandlers } from './bundle';
import { failureDestination } from './failure-destination';
import { freePort, stackPorts } from './ports';
import { workerProcess, type WorkerProcess } from './worker-process';
import { unfinishedUploads, uploadEvent } from './unfinished-imports';

const nodeFlagsOf = (worker: WorkerSpec): readonly string[] => worker.nodeFlags ?? [];

export interface LocalStackOptions {
  /** The gateway's port; DynamoDB Local, s3rver and the Lambda API take the next three (all free ports when 0). */
  port: number;
  operatorKey: string;
  codeKey: string;
  /** Where data persists across restarts; without it everything lives in memory (tests). */
  dataDir?: string;
  bcryptCost?: number;
  logLevel?: string;
  tableName?: string;
  bucketName?: string;
  /** Test stack: fault injection on, a short stale window for imports, quick retries. */
  testControls?: boolean;
  /** Run each worker invocation in its own process and report its peak memory (the benchmark). */
  workerProcessReports?: (name: string, report: ProcessReport) => void;
}

export interface LocalStack {
  url: string;
  pids: { dynamoDb: number };
  endpoints: { dynamoDb: string; s3: string; lambdaApi: string };
  /** Settles with a message when a service the stack needs has died (DynamoDB Local): the stack should stop. */
  died: Promise<string>;
  /** Upload keys of unfinished imports whose event was delivered again at start. */
  redelivered: string[];
  stop(): Promise<void>;
}

/**
 * DynamoDB Local, s3rver and the gateway, wired as the CDK stack wires the real services.
 * The handlers read their configuration from the environment, exactly as on Lambda. The
 * workers (import, export) run in their own processes, as each is its own Lambda on AWS.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const tableName = options.tableName ?? 'emailless';
  const bucketName = options.bucketName ?? 'emailless-files';
  const s3Directory = options.dataDir ? join(options.dataDir, 's3') : mkdtempSync(join(tmpdir(), 'emailless-s3-'));

  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const service of started.reverse()) await service.stop().catch(() => undefined);
    if (!options.dataDir) rmSync(s3Directory, { recursive: true, force: true });
  };
  const ports = stackPorts(options.port);
  // Letters print the gateway's address (PUBLIC_URL), which the functions read when they load, before the gateway listens.
  const gatewayPort = ports.gateway || (await freePort());
  try {
    const dynamoDb = await startDynamoDbLocal({ port: ports.dynamoDb, ...(options.dataDir ? { dbPath: join(options.dataDir, 'dynamodb') } : {}) });
    started.push(dynamoDb);
    const s3 = await startLocalS3({ directory: s3Directory, bucketName, port: ports.s3 });
    started.push(s3);
    await ensureTable(dynamoDb.endpoint, tableName);

    // Failed asynchronous invocations are retried, as Lambda does (quickly on the test stack).
    const asyncOptions = {
      retries: 2,
      retryDelayMs: options.testControls ? 500 : 60_000,
      onGiveUp: failureDestination(() => handlers),
    };
    const invocable = new Map<string, { handler: LambdaHandler; timeoutSeconds: number }>();
    const lambdaApi = await startLambdaApi(invocable, { ...asyncOptions, port: ports.lambdaApi });
    started.push(lambdaApi);

    Object.assign(process.env, {
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      DYNAMODB_ENDPOINT: dynamoDb.endpoint,
      S3_ENDPOINT: s3.endpoint,
      LAMBDA_ENDPOINT: lambdaApi.endpoint,
      EXPORT_FUNCTION_NAME: 'exportInvitations',
      LETTERS_FUNCTION_NAME: 'printLetters',
      TENANT_SWEEP_FUNCTION_NAME: 'sweepTenant',
      PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
      OPERATOR_KEY: options.operatorKey,
      CODE_KEY: options.codeKey,
      BCRYPT_COST: String(options.bcryptCost ?? 10),
      LOG_LEVEL: options.logLevel ?? 'info',
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      // s3rver checks presigned signatures against its built-in credentials; DynamoDB Local takes any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      // The test stack prints at most 30 letters a run, lets an API key make 10 requests a minute (so that a test can pass each limit) and lets a tenant's sweep settle for 1 s.
      ...(options.testControls ? { FAULT_INJECTION: 'on', IMPORT_STALE_SECONDS: '2', LETTERS_MAX_PER_RUN: '30', API_KEY_REQUESTS_PER_MINUTE: '10', TENANT_SWEEP_SETTLE_SECONDS: '1' } : {}),
    });
    const handlers = await loadHandlers([...routeList.map((route) => route.handler), fallbackRoute.handler]);
    const bundles = await bundleHandlers(Object.values(workers).map((worker) => worker.handler));
    const workerProcesses: WorkerProcess[] = [];
    for (const [name, worker] of Object.entries(workers)) {
      const bundle = bundles.get(worker.handler)!;
      if (options.workerProcessReports) {
        // The benchmark: a fresh process per invocation, so that its peak memory is the function's own.
        handlers.set(worker.handler, handlerInOwnProcess(name, bundle, worker.timeoutSeconds * 1000, options.workerProcessReports, nodeFlagsOf(worker)));
        continue;
      }
      const running = workerProcess(name, bundle, nodeFlagsOf(worker));
      workerProcesses.push(running);
      handlers.set(worker.handler, running.handler);
    }
    started.push({ stop: async () => void (await Promise.all(workerProcesses.map((running) => running.stop()))) });
    // Loaded now, while the bundles are fresh: another stack of this checkout may write them again later.
    await Promise.all(workerProcesses.map((running) => running.started()));
    for (const [name, worker] of Object.entries(workers)) {
      if (worker.trigger.kind === 'async') invocable.set(name, { handler: handlers.get(worker.handler)!, timeoutSeconds: worker.timeoutSeconds });
    }
    const gateway = await startGateway({
      port: gatewayPort,
      handlers,
      testControls: options.testControls ?? false,
      onFaults: (patch) => workerProcesses.forEach((running) => running.setFaults(patch)),
    });
    started.push(gateway);

    // S3 notifications, as the bucket's notification rule delivers them on AWS.
    (s3.server as unknown as import('node:events').EventEmitter).on('event', (event: { Records: { eventName: string; s3: { object: { key: string } } }[] }) => {
      const { trigger, handler, timeoutSeconds } = workers.importFile;
      const key = event.Records[0]?.s3.object.key ?? '';
      if (!event.Records[0]?.eventName.startsWith('ObjectCreated') || !key.startsWith(trigger.prefix) || !key.endsWith(trigger.suffix)) return;
      invokeAsync('importFile', handlers.get(handler)!, event, asyncOptions, timeoutSeconds * 1000);
    });

    // Imports a stopped stack left unfinished get their event again, as Lambda's retry would deliver it.
    const redelivered = await unfinishedUploads({ dynamoDbEndpoint: dynamoDb.endpoint, s3Endpoint: s3.endpoint, tableName, bucketName });
    for (const key of redelivered) {
      process.stderr.write(`local stack: delivering the upload event of an unfinished import again: ${key}\n`);
      invokeAsync('importFile', handlers.get(workers.importFile.handler)!, uploadEvent(bucketName, key), asyncOptions, workers.importFile.timeoutSeconds * 1000);
    }
    return {
      url: gateway.url,
      pids: { dynamoDb: dynamoDb.pid },
      endpoints: { dynamoDb: dynamoDb.endpoint, s3: s3.endpoint, lambdaApi: lambdaApi.endpoint },
      died: dynamoDb.died,
      redelivered,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
