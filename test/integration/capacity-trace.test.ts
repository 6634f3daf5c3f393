import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keys } from '../../shared/db/keys';
import { clearTraceDirectory, collectInvocations, openInvocations } from '../capacity/trace-files';
import { isGone, stackBasePort, startStackProcess, until, type StackProcess } from './stack-process';

/**
 * The capacity recorder (shared/db/trace.ts) on a stack of its own, started with
 * DYNAMODB_TRACE_DIR (the shared test stack runs without it): one sign-in is recorded with
 * the user item's read and write at the right units, and nothing of the traffic before it.
 */
jest.setTimeout(60_000);

let stack: StackProcess | undefined;
const directories: string[] = [];
afterAll(async () => {
  stack?.killGroup();
  if (stack) await until(() => isGone(-stack!.pid), 10_000).catch(() => undefined);
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const post = async (path: string, body: unknown, token?: string) => {
  const answer = await fetch(`${stack!.ready.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  return (await answer.json()) as Record<string, unknown>;
};

it('records one sign-in: the user item read and written, with its units, and nothing else', async () => {
  const traceDirectory = mkdtempSync(join(tmpdir(), 'emailless-trace-test-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'emailless-trace-data-'));
  directories.push(traceDirectory, dataDir);
  stack = await startStackProcess({ dataDir, port: await stackBasePort(), env: { DYNAMODB_TRACE_DIR: traceDirectory } });
  const api = stack.api();
  const tenant = await api.newTenant();
  const invited = await post('/v1/admin/invitations', { invitations: [{ uid: 'Traced1', role: 'member' }] }, tenant.token);
  const accessCode = (invited.items as { accessCode: string }[])[0]!.accessCode;
  const signedUp = (await post('/v1/sign-up', { accessCode, password: 'a traced password' })) as { user: { id: string } };
  const domain = tenant.email.split('@')[1]!;
  // The set-up above was traced too; it must not be in what follows.
  await until(() => openInvocations(traceDirectory) === 0, 5000);
  clearTraceDirectory(traceDirectory);
  const sinceMs = performance.timeOrigin + performance.now();

  const answer = await post('/v1/auth/sign-in', { identifier: `traced1:${domain}`, password: 'a traced password' });
  expect(answer.token).toEqual(expect.any(String));
  await until(() => openInvocations(traceDirectory) === 0, 5000);

  const { invocations, recorderErrors } = collectInvocations(traceDirectory, sinceMs);
  expect(recorderErrors).toEqual([]);
  expect(invocations.map((invocation) => invocation.fn)).toEqual(['signIn']);
  const [signIn] = invocations;
  const userPk = keys.user(tenant.id, signedUp.user.id).pk;
  const requests = signIn!.requests;
  // The user item is small: a strongly consistent read is 1 RCU, the session's write 1 WCU.
  expect(requests).toContainEqual(expect.objectContaining({ op: 'GetItem', accesses: [{ index: 'table', pk: userPk, kind: 'read', units: 1 }] }));
  expect(requests).toContainEqual(expect.objectContaining({ op: 'UpdateItem', accesses: [{ index: 'table', pk: userPk, kind: 'write', units: 1 }] }));
  for (const request of requests) {
    expect(request.sentMs).toBeGreaterThanOrEqual(0);
    expect(request.answeredMs).toBeGreaterThanOrEqual(request.sentMs);
    expect(request.answeredMs).toBeLessThanOrEqual(signIn!.durationMs);
  }
  // Nothing of the set-up (the tenant's creation, the invitation, the sign-up) leaked in.
  expect(requests.some((request) => request.op === 'TransactWriteItems' || request.accesses.some((access) => access.pk.startsWith('EMAIL#') || access.index !== 'table'))).toBe(false);
});
