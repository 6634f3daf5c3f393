import type { ChildProcess } from 'node:child_process';
import type { LambdaHandler } from './gateway';
import { spawnTiedToParent } from './tied-spawn';

/**
 * The child's side, run with `node -e`: loads one function bundle, runs the invocations the
 * parent sends, answers each, and applies the fault switches the parent forwards (the test
 * stack's POST /__local/faults), so shared/faults.ts sees them in this process too. It ends
 * when the parent goes away (the IPC channel closes).
 */
const runner = `
const handler = require(process.argv[1]).handler;
if (typeof handler !== 'function') throw new Error(process.argv[1] + ' exports no handler');
process.on('disconnect', () => process.exit(0));
process.on('message', async (message) => {
  if (message.type === 'faults') {
    Object.assign(globalThis.emaillessFaults ?? {}, message.patch);
    return;
  }
  const started = Date.now();
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: message.name,
    functionVersion: '$LATEST',
    awsRequestId: message.id,
    memoryLimitInMB: '1024',
    getRemainingTimeInMillis: () => Math.max(0, message.timeoutMs - (Date.now() - started)),
  };
  try {
    await handler(message.event, context);
    process.send({ type: 'result', id: message.id });
  } catch (error) {
    process.send({ type: 'result', id: message.id, error: { name: error && error.name, message: error && error.message } });
  }
});
process.send({ type: 'ready' });
`;

type Answer = { type: 'ready' } | { type: 'result'; id: string; error?: { name: string; message: string } };

export interface WorkerProcess {
  handler: LambdaHandler;
  /** Starts the process now and waits until it has loaded its bundle. */
  started(): Promise<void>;
  /** Forwards a fault switch (shared/faults.ts) to the process. */
  setFaults(patch: Record<string, unknown>): void;
  stop(): Promise<void>;
}

/**
 * One function in its own long-lived Node.js process, as each worker is its own Lambda on
 * AWS: a heavy import parses and writes there, not in the gateway's event loop. The process
 * starts with started() or the first invocation, and again after it dies (an invocation in
 * flight then fails, and the asynchronous retry runs it again). It dies with the stack
 * (tied-spawn.ts).
 */
export function workerProcess(name: string, bundleFile: string, nodeFlags: readonly string[] = []): WorkerProcess {
  let child: ChildProcess | undefined;
  let ready: Promise<ChildProcess> | undefined;
  let stopped = false;
  let sequence = 0;
  const pending = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  /** The switches so far, merged, for a process started after they were set. */
  const faultState: Record<string, unknown> = {};

  const start = (): Promise<ChildProcess> => {
    const spawned = spawnTiedToParent(process.execPath, ['--enable-source-maps', ...nodeFlags, '-e', runner, bundleFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: process.env });
    child = spawned;
    return new Promise((resolve, reject) => {
      spawned.on('message', (answer: Answer) => {
        if (answer.type === 'ready') {
          spawned.send({ type: 'faults', patch: faultState });
          resolve(spawned);
          return;
        }
        const waiting = pending.get(answer.id);
        pending.delete(answer.id);
        if (!waiting) return;
        if (answer.error) waiting.reject(Object.assign(new Error(answer.error.message), { name: answer.error.name }));
        else waiting.resolve();
      });
      spawned.once('error', reject);
      spawned.once('exit', (code, signal) => {
        if (child === spawned) {
          child = undefined;
          ready = undefined;
        }
        const error = new Error(`the ${name} process ended (${signal ?? `exit code ${code}`})`);
        reject(error);
        for (const [id, waiting] of pending) {
          pending.delete(id);
          waiting.reject(error);
        }
      });
    });
  };

  return {
    async handler(event, context) {
      if (stopped) throw new Error(`${name}: the local stack is stopping`);
      ready ??= start();
      const running = await ready;
      const id = `${++sequence}`;
      return new Promise<undefined>((resolve, reject) => {
        pending.set(id, { resolve: () => resolve(undefined), reject });
        running.send({ type: 'invoke', id, name, event, timeoutMs: context.getRemainingTimeInMillis() });
      });
    },
    async started() {
      ready ??= start();
      await ready;
    },
    setFaults(patch) {
      Object.assign(faultState, patch);
      if (child?.connected) child.send({ type: 'faults', patch });
    },
    async stop() {
      stopped = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}
