import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

describe('the README walk-through with curl', () => {
  it('answers every step as the README says', async () => {
    const domain = `acme-${uniqueSuffix()}.example`;
    const { script, expectations } = walkThrough(domain);
    expect(expectations.length).toBeGreaterThanOrEqual(12);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000 });
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
