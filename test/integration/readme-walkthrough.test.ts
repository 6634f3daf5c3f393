import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assertContract } from '../support/openapi-contract';
import { baseUrl, operatorKey, uniqueSuffix } from './support';

/** The README's curl walk-through, run as a reader would run it, answer by answer. */

const wildcard = '…';

/** Equal, except that "…" in the expectation stands for any string. Every key must be there, no more. */
function differences(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === wildcard) return typeof actual === 'string' && actual !== '' ? [] : [`${path}: expected a string, got ${JSON.stringify(actual)}`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${path}: expected ${expected.length} items, got ${JSON.stringify(actual)}`];
    return expected.flatMap((item, index) => differences(item, actual[index], `${path}[${index}]`));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap((key) => differences((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], `${path}.${key}`));
  }
  return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function walkThrough(domain: string): { script: string; expectations: string[] } {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A walk through with curl'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!.replaceAll('acme.example', domain);
  const expectations: string[] = [];
  const script = block
    .split('\n')
    .map((line) => {
      if (line.startsWith('API=')) return `API=${baseUrl}`;
      if (line.startsWith('KEY=')) return `KEY=${operatorKey}`;
      if (!line.startsWith('# ⇒ ')) return line;
      expectations.push(line.slice('# ⇒ '.length));
      return "echo '@@'";
    })
    .join('\n');
  return { script, expectations };
}

/**
 * An HTTP proxy for curl (http_proxy) that passes each request to the stack and checks each
 * answer against the OpenAPI document, as call() and fetch are checked; departures are listed.
 */
async function contractCheckingProxy(): Promise<{ server: Server; url: string; answers: number; departures: string[] }> {
  const proxy = { answers: 0, departures: [] as string[] };
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '/');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'proxy-connection'));
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: request.method, headers, agent: false }, (answer) => {
        const body: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => body.push(chunk));
        answer.on('end', () => {
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          proxy.answers++;
          try {
            assertContract({ method: request.method ?? 'GET', url: target.href, status: answer.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(body) });
          } catch (error) {
            proxy.departures.push((error as Error).message);
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(Buffer.concat(body));
        });
      });
      upstream.on('error', () => response.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

describe('the README walk-through with curl', () => {
  it('answers every step as the README says, each answer as the OpenAPI document says', async () => {
    const domain = `acme-${uniqueSuffix()}.example`;
    const { script, expectations } = walkThrough(domain);
    expect(expectations.length).toBeGreaterThanOrEqual(12);
    const proxy = await contractCheckingProxy();
    const env = { ...process.env, http_proxy: proxy.url, no_proxy: '', NO_PROXY: '' };
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000, env }).finally(() => proxy.server.close());
    expect(proxy.departures).toEqual([]);
    expect(proxy.answers).toBeGreaterThanOrEqual(expectations.length);
    const answers = stdout.split('@@\n').slice(0, -1).map((chunk) => chunk.trim());
    expect(answers).toHaveLength(expectations.length);
    expectations.forEach((expectation, index) => {
      const [status, ...body] = expectation.split(' ');
      const answer = answers[index]!;
      const answeredStatus = answer.slice(answer.lastIndexOf(' ') + 1);
      expect({ step: index + 1, status: answeredStatus }).toEqual({ step: index + 1, status });
      if (body.length === 0) return expect(answer).toBe(status);
      const answeredBody = JSON.parse(answer.slice(0, answer.lastIndexOf(' '))) as unknown;
      expect({ step: index + 1, differences: differences(JSON.parse(body.join(' ')), answeredBody) }).toEqual({ step: index + 1, differences: [] });
    });
  });

  it('notices an answer that differs from the README', () => {
    expect(differences({ id: wildcard, role: 'member' }, { id: 'x1', role: 'admin' })).toEqual(['$.role: expected "member", got "admin"']);
    expect(differences({ id: wildcard }, { id: 'x1', extra: true })).toEqual(['$.extra: expected undefined, got true']);
    expect(differences({ id: wildcard }, { id: '' })).toHaveLength(1);
  });
});
