import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startLocalStack } from './stack';
import { demoTenant, seedDemoTenant } from './seed';

/**
 * `npm start`: the whole API on this machine. Settings: PORT (3000), OPERATOR_KEY
 * (generated on first start and kept), DATA_DIR (.local-data; data survives restarts).
 * `--in-memory --json` is how the tests start it: nothing kept, one JSON line when ready.
 */
const args = new Set(process.argv.slice(2));
const inMemory = args.has('--in-memory');
const printJson = args.has('--json');
const testControls = args.has('--test-controls');
const port = Number(process.env.PORT ?? 3000);
const dataDir = inMemory ? undefined : resolve(process.env.DATA_DIR ?? join(__dirname, '..', '..', '.local-data'));

/** A value generated once and kept in the data directory, so that it survives restarts. */
function kept(name: string, make: () => string): string {
  if (!dataDir) return make();
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, make(), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  const operatorKey = process.env.OPERATOR_KEY ?? kept('operator-key', () => randomBytes(24).toString('base64url'));
  const codeKey = process.env.CODE_KEY ?? kept('code-key', () => randomBytes(32).toString('base64url'));
  const demoPassword = kept('demo-admin-password', () => `demo-${randomBytes(9).toString('base64url')}`);
  const stack = await startLocalStack({
    port,
    operatorKey,
    codeKey,
    testControls,
    ...(dataDir ? { dataDir } : {}),
    ...(process.env.BCRYPT_COST ? { bcryptCost: Number(process.env.BCRYPT_COST) } : {}),
    ...(process.env.LOG_LEVEL ? { logLevel: process.env.LOG_LEVEL } : {}),
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local stack\n`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Without DynamoDB Local every call would answer 503: say so and stop rather than look healthy.
  void stack.died.then(async (reason) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nThe local stack stops: ${reason}. Every API call needs it; start the stack again (npm start).\n`);
    await stack.stop();
    process.exit(1);
  });
  // `npm start` runs this under tsx's launcher: if the launcher is killed (kill -9), this
  // process is handed to init and nobody would stop it. Noticing the new parent, it stops.
  const launcher = process.ppid;
  setInterval(() => {
    if (process.ppid !== launcher) void stop('the launching process is gone');
  }, 1000).unref();
  // Whatever ends this process, the java child goes with it (also on SIGKILL: see tied-spawn.ts).
  process.on('exit', () => {
    try {
      process.kill(stack.pids.dynamoDb, 'SIGKILL');
    } catch {
      // already gone
    }
  });

  await seedDemoTenant(stack.url, operatorKey, demoPassword);
  if (printJson) {
    process.stdout.write(`${JSON.stringify({ ready: true, url: stack.url, operatorKey, demoAdmin: { email: demoTenant.adminEmail, password: demoPassword }, dynamoDbEndpoint: stack.endpoints.dynamoDb, s3Endpoint: stack.endpoints.s3, pid: process.pid, dynamoDbPid: stack.pids.dynamoDb })}\n`);
    return;
  }
  const url = stack.url.replace('127.0.0.1', 'localhost');
  process.stdout.write(
    [
      '',
      'emailless local stack is running',
      `  API URL        ${url}   (OpenAPI: ${url}/v1/openapi.json)`,
      `  Operator key   ${operatorKey}   (send as x-operator-key)`,
      `  Demo tenant    ${demoTenant.name} (${demoTenant.domain})`,
      `  Demo admin     ${demoTenant.adminEmail} / ${demoPassword}`,
      `  Data           ${dataDir}`,
      `  Local services DynamoDB Local ${stack.endpoints.dynamoDb}, s3rver ${stack.endpoints.s3}, Lambda API ${stack.endpoints.lambdaApi}`,
      '                 (local development only: s3rver takes unsigned requests, DynamoDB Local listens on all interfaces)',
      '  Stop with Ctrl-C.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
