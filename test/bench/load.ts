import { randomBytes } from 'node:crypto';
import { startLocalStack } from '../../infra/local/stack';
import { percentile } from './measure';

/**
 * `npm run load`: 100 concurrent clients sign in and read GET /v1/me for 30 seconds against
 * the local stack (loopback only). Fails if any answer is a 5xx; reports p50 and p99.
 */
const clients = Number(process.env.LOAD_CLIENTS ?? 100);
const seconds = Number(process.env.LOAD_SECONDS ?? 30);

async function main() {
  const stack = await startLocalStack({ port: 0, operatorKey: randomBytes(16).toString('hex'), codeKey: randomBytes(32).toString('base64url'), bcryptCost: 10, logLevel: 'warn' });
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { 'x-operator-key': process.env.OPERATOR_KEY!, ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> };
  };
  const timings: Record<'signIn' | 'me', number[]> = { signIn: [], me: [] };
  const statuses = new Map<number, number>();
  try {
    const domain = `load-${randomBytes(4).toString('hex')}.example`;
    const accounts = Array.from({ length: 10 }, (_, index) => ({ email: `user${index}@${domain}`, password: `load password ${index}` }));
    // Ten tenants, one admin each: the clients share them as real users share an organisation.
    for (const [index, account] of accounts.entries()) {
      const created = await call('POST', '/v1/tenants', { name: `Load ${index}`, domain: `${index}${domain}`, admin: account });
      if (created.status !== 201) throw new Error(`tenant not created: ${created.status}`);
    }
    const deadline = Date.now() + seconds * 1000;
    const timed = async (kind: 'signIn' | 'me', request: () => Promise<{ status: number; json: () => Record<string, unknown> }>) => {
      const begin = performance.now();
      const answer = await request();
      timings[kind].push(performance.now() - begin);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      return answer;
    };
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        const account = accounts[client % accounts.length]!;
        let token = '';
        for (let operation = 0; Date.now() < deadline; operation++) {
          if (operation % 50 === 0) {
            const answer = await timed('signIn', () => call('POST', '/v1/auth/sign-in', { identifier: account.email, password: account.password }));
            if (answer.status === 200) token = answer.json().token as string;
          } else {
            await timed('me', () => call('GET', '/v1/me', undefined, token));
          }
        }
      }),
    );
  } finally {
    await stack.stop();
  }
  const fiveHundreds = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
  const line = (kind: 'signIn' | 'me') =>
    `${kind.padEnd(7)} ${String(timings[kind].length).padStart(7)} requests  p50 ${percentile(timings[kind], 50).toFixed(1)} ms  p99 ${percentile(timings[kind], 99).toFixed(1)} ms`;
  process.stdout.write(
    [`${clients} clients for ${seconds} s against the local stack`, line('signIn'), line('me'), `statuses: ${JSON.stringify(Object.fromEntries(statuses))}`, `5xx: ${fiveHundreds}`].join('\n') + '\n',
  );
  process.exit(fiveHundreds === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`load failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
