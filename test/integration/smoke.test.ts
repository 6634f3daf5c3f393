import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { baseUrl, operatorKey } from './support';

const root = resolve(__dirname, '..', '..');

/** Runs `npm run smoke` (tsx on test/smoke/run.ts) against the test stack, as CI does after a deploy. */
function runSmoke(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['test/smoke/run.ts', ...args], { cwd: root, env: { ...process.env, EMAILLESS_URL: '', EMAILLESS_OPERATOR_KEY: '' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolvePromise({ code, output }));
  });
}

const steps = [
  'create a throwaway organisation',
  'admin signs in',
  'switch sign-in without email on',
  'invite one person',
  'read the access code',
  'sign up with the access code',
  'sign in with uid:domain',
  'create an import',
  'upload an .xlsx to the presigned URL',
  'the import completes and invites one person',
  'start an export',
  'download the export: an .xlsx with both people',
  'delete the organisation',
  'the deletion finishes',
  'the admin\'s old token answers 401',
];

describe('the post-deploy smoke test', () => {
  it('runs the whole flow against the local stack, every step ok, and exits 0', async () => {
    const { code, output } = await runSmoke(['--url', baseUrl, '--operator-key', operatorKey]);
    const lines = output.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('ok   ')).map((line) => line.replace(/^ok {3}(.*) \(\d+ ms\)$/, '$1'))).toEqual(steps);
    expect(lines.at(-1)).toMatch(/^smoke test passed \(\d+ ms\)$/);
    expect(output).not.toContain(operatorKey);
    expect(code).toBe(0);
  }, 180_000);

  it('exits 1 naming the failing step when the operator key is wrong, and has nothing to clean up', async () => {
    const { code, output } = await runSmoke([`--url=${baseUrl}`, '--operator-key', 'not-the-operator-key']);
    expect(output).toMatch(/^FAIL create a throwaway organisation \(\d+ ms\): expected 201, got 401 invalid_operator_key/m);
    expect(output).not.toMatch(/^ok /m);
    expect(code).toBe(1);
  }, 60_000);
});
