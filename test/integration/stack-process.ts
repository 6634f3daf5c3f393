import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { assertPortFree, freePort } from '../../infra/local/ports';
import type { ImportState } from './support';

const root = resolve(__dirname, '..', '..');

export interface ReadyLine {
  url: string;
  operatorKey: string;
  dynamoDbEndpoint: string;
  s3Endpoint: string;
  pid: number;
  dynamoDbPid: number;
}

export interface StackProcess {
  /** The stack's own process (node running infra/local/main.ts), also its process group. */
  pid: number;
  ready: ReadyLine;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  killGroup(): void;
  api(): StackApi;
}

/** A PORT whose next three ports are free too (the stack takes PORT to PORT+3). */
export async function stackBasePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 3 > 65_535) continue;
    const free = await Promise.all([1, 2, 3].map((offset) => assertPortFree(port + offset, 'test').then(() => true, () => false)));
    if (free.every(Boolean)) return port;
  }
}

/** True when no process (or, for a negative pid, no process group) of that id is left. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

export async function until(condition: () => boolean, timeoutMs: number, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, everyMs));
  }
}

/**
 * Starts `infra/local/main.ts` as `npm start` would, on dataDir and port, with the test
 * controls, as one node process (tsx as a loader, no launcher process in between) that
 * leads its own process group.
 */
export async function startStackProcess(options: { dataDir: string; port: number; env?: Record<string, string> }): Promise<StackProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/main.ts', '--json', '--test-controls'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(options.port), DATA_DIR: options.dataDir, BCRYPT_COST: '4', LOG_LEVEL: 'warn', OPERATOR_KEY: undefined, CODE_KEY: undefined, ...options.env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => child.once('exit', (code, signal) => resolvePromise({ code, signal })));
  const ready = await new Promise<ReadyLine>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start in 120 s: ${stderr}`)), 120_000);
    void exited.then(({ code }) => reject(new Error(`the stack exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{"ready":true')) return;
      clearTimeout(timer);
      resolvePromise(JSON.parse(line) as ReadyLine);
    });
  });
  return {
    pid: child.pid!,
    ready,
    exited,
    stderr: () => stderr,
    killGroup: () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    api: () => stackApi(ready),
  };
}

export interface StackApi {
  newTenant(): Promise<{ id: string; email: string; password: string; token: string }>;
  signIn(email: string, password: string): Promise<string>;
  createImport(token: string): Promise<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>;
  setFaults(faults: Record<string, unknown>): Promise<void>;
  awaitImport(token: string, importId: string, timeoutMs?: number): Promise<ImportState>;
}

/** The few calls these tests make to a stack of their own (support.ts talks to the shared one). */
function stackApi(ready: ReadyLine): StackApi {
  const send = async <T>(method: string, path: string, options: { token?: string; body?: unknown; operator?: boolean } = {}) => {
    const answer = await fetch(`${ready.url}${path}`, {
      method,
      headers: {
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.operator ? { 'x-operator-key': ready.operatorKey } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await answer.text();
    return { status: answer.status, text, body: (text && /json/.test(answer.headers.get('content-type') ?? '') ? JSON.parse(text) : {}) as T };
  };
  const api: StackApi = {
    async newTenant() {
      const suffix = randomBytes(5).toString('hex');
      const email = `admin@restart-${suffix}.example`;
      const password = `pw-${suffix}-long-enough`;
      const created = await send<{ tenant: { id: string } }>('POST', '/v1/tenants', { operator: true, body: { name: `Org ${suffix}`, domain: `restart-${suffix}.example`, admin: { email, password } } });
      if (created.status !== 201) throw new Error(`tenant not created: ${created.status} ${created.text}`);
      const token = await api.signIn(email, password);
      const settings = await send('PATCH', '/v1/admin/settings', { token, body: { signInWithoutEmail: true } });
      if (settings.status !== 200) throw new Error(`settings not changed: ${settings.status} ${settings.text}`);
      return { id: created.body.tenant.id, email, password, token };
    },
    async signIn(email, password) {
      const answer = await send<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier: email, password } });
      if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
      return answer.body.token;
    },
    async createImport(token) {
      const answer = await send<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/v1/admin/imports', { token, body: {} });
      if (answer.status !== 201) throw new Error(`import not created: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    async setFaults(faults) {
      const answer = await send('POST', '/__local/faults', { body: faults });
      if (answer.status !== 204) throw new Error(`faults not set: ${answer.status}`);
    },
    async awaitImport(token, importId, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const answer = await send<ImportState>('GET', `/v1/admin/imports/${importId}`, { token });
        if (answer.status !== 200) throw new Error(`import status: ${answer.status} ${answer.text}`);
        if (answer.body.status === 'completed' || answer.body.status === 'failed') return answer.body;
        if (Date.now() > deadline) throw new Error(`import ${importId} still ${answer.body.status} after ${timeoutMs} ms`);
        await new Promise((resolvePromise) => setTimeout(resolvePromise, 200));
      }
    },
  };
  return api;
}
