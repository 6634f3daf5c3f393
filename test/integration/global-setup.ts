import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '..', '..');
export const logFile = join(root, 'test-artifacts', 'local-stack.log');

/**
 * Starts the local stack once for the whole run, in memory on free ports, in its own
 * process group so that teardown can stop it and its java child by process id.
 */
export default async function globalSetup(): Promise<void> {
  mkdirSync(join(root, 'test-artifacts'), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['infra/local/main.ts', '--in-memory', '--json', '--test-controls'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', BCRYPT_COST: '4', LOG_LEVEL: 'info', OPERATOR_KEY: undefined, CODE_KEY: undefined },
  });
  child.stderr.pipe(log);
  const ready = await new Promise<Record<string, unknown>>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`The local stack did not start in 240 s; see ${logFile}`)), 240_000);
    child.once('exit', (code) => reject(new Error(`The local stack exited with ${code}; see ${logFile}`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      log.write(`${line}\n`);
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolvePromise(JSON.parse(line) as Record<string, unknown>);
    });
  });
  Object.assign(process.env, {
    EMAILLESS_URL: ready.url,
    EMAILLESS_OPERATOR_KEY: ready.operatorKey,
    EMAILLESS_DYNAMODB_ENDPOINT: ready.dynamoDbEndpoint,
    EMAILLESS_S3_ENDPOINT: ready.s3Endpoint,
    EMAILLESS_LOG_FILE: logFile,
  });
  (globalThis as { emaillessStackPid?: number }).emaillessStackPid = child.pid;
}
