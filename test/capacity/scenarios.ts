import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { localDynamoDbClient } from '../../infra/local/dynamodb';
import { XlsxWriter } from '../../shared/excel/write';
import { expectStatus, type RecordingStack } from './recording';
import type { Invocation } from './model/types';

/**
 * The scenarios whose DynamoDB traffic `npm run capacity` records. Each sets up what it needs
 * (not recorded), then records what the real code sends for one piece of work. Samples of
 * distinct users (sign-ins, /me) are scaled up later by the model's replicate().
 */
export const scenarioNames = ['import50k', 'signIns', 'me', 'export100k'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export const importRows = 50_000;
export const exportRows = 100_000;
/** Distinct users in the sign-in and /me samples. */
export const sampleUsers = 40;

/** How often the scenarios poll a job; the polls are the driver's, not the workload, and are left out of the trace. */
const pollEveryMs = 500;

interface Tenant {
  id: string;
  domain: string;
  adminToken: string;
}

async function newTenant(recording: RecordingStack, label: string): Promise<Tenant> {
  const { api } = recording;
  const domain = `${label}-${randomBytes(4).toString('hex')}.example`;
  const password = 'capacity admin password';
  const created = await expectStatus(api('POST', '/v1/tenants', { operator: true, body: { name: label, domain, admin: { email: `admin@${domain}`, password } } }), 201, 'create tenant');
  const signedIn = await expectStatus(api('POST', '/v1/auth/sign-in', { body: { identifier: `admin@${domain}`, password } }), 200, 'admin sign-in');
  const adminToken = signedIn.token as string;
  await expectStatus(api('PATCH', '/v1/admin/settings', { token: adminToken, body: { signInWithoutEmail: true } }), 200, 'sign-in without email on');
  return { id: (created.tenant as { id: string }).id, domain, adminToken };
}

async function pollUntilDone(read: () => Promise<Record<string, unknown>>, timeoutMs: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await read();
    if (state.status !== 'running' && state.status !== 'processing' && state.status !== 'awaiting_upload') return state;
    if (Date.now() > deadline) throw new Error(`still ${String(state.status)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  }
}

export function staffFile(rowCount: number, prefix: string): Uint8Array {
  const writer = new XlsxWriter('Staff', ['uid', 'first name', 'last name']);
  for (let index = 0; index < rowCount; index++) writer.addRow([`${prefix}${100000 + index}`, `First${index}`, `Last${index}`]);
  return writer.finish();
}

/**
 * The tenant of the import, the sign-ins and /me: the model runs 10,000 sign-ins during the
 * import, and they meet on that tenant's keys (in layout v1, its one partition).
 */
let organisation: Tenant | undefined;
const theOrganisation = async (recording: RecordingStack) => (organisation ??= await newTenant(recording, 'acme'));

/** A 50,000-row .xlsx, from POST /v1/admin/imports through the upload to `completed`. */
async function import50k(recording: RecordingStack): Promise<Invocation[]> {
  const { api } = recording;
  const tenant = await theOrganisation(recording);
  const file = staffFile(importRows, 'C');
  return recording.record(
    async () => {
      const created = await expectStatus(api('POST', '/v1/admin/imports', { token: tenant.adminToken, body: { fileName: 'staff.xlsx' } }), 201, 'create import');
      const upload = await fetch(created.uploadUrl as string, { method: 'PUT', headers: created.uploadHeaders as Record<string, string>, body: new Uint8Array(file) });
      if (!upload.ok) throw new Error(`upload refused: ${upload.status}`);
      const final = await pollUntilDone(() => expectStatus(api('GET', `/v1/admin/imports/${created.id as string}`, { token: tenant.adminToken }), 200, 'import status'), 900_000);
      if (final.status !== 'completed' || final.invitedCount !== importRows) throw new Error(`import ended ${String(final.status)} with ${String(final.invitedCount)} invited`);
    },
    { excluded: ['getImport'] },
  );
}

/** The users of the sign-in and /me samples: invited and signed up (set-up, not recorded), each with its own password. */
interface SampleUsers {
  tenant: Tenant;
  /** Each signs in from a loopback address of its own, as 10,000 people would from their own devices. */
  users: { identifier: string; password: string; address: string; token?: string }[];
}

let sample: SampleUsers | undefined;

async function sampleUsersOf(recording: RecordingStack): Promise<SampleUsers> {
  if (sample) return sample;
  const { api } = recording;
  const tenant = await theOrganisation(recording);
  const uids = Array.from({ length: sampleUsers }, (_, index) => `P${1000 + index}`);
  const invited = await expectStatus(api('POST', '/v1/admin/invitations', { token: tenant.adminToken, body: { invitations: uids.map((uid) => ({ uid, role: 'member' })) } }), 201, 'invite');
  const codes = (invited.items as { uid: string; accessCode: string }[]).map((item) => item.accessCode);
  const users = [];
  for (const [index, accessCode] of codes.entries()) {
    const password = `capacity password ${index}`;
    await expectStatus(api('POST', '/v1/sign-up', { body: { accessCode, password } }), 201, 'sign-up');
    users.push({ identifier: `${uids[index]}:${tenant.domain}`, password, address: `127.10.${Math.floor(index / 250)}.${(index % 250) + 1}` });
  }
  sample = { tenant, users };
  return sample;
}

/** One sign-in of each sample user (uid:domain and password), one after another. */
async function signIns(recording: RecordingStack): Promise<Invocation[]> {
  const { users } = await sampleUsersOf(recording);
  return recording.record(async () => {
    for (const user of users) {
      const answer = await expectStatus(recording.api('POST', '/v1/auth/sign-in', { from: user.address, body: { identifier: user.identifier, password: user.password } }), 200, 'sign-in');
      user.token = answer.token as string;
    }
  });
}

/** One GET /v1/me of each sample user, one after another. */
async function me(recording: RecordingStack): Promise<Invocation[]> {
  const { users } = await sampleUsersOf(recording);
  for (const user of users) {
    if (user.token) continue;
    user.token = (await expectStatus(recording.api('POST', '/v1/auth/sign-in', { from: user.address, body: { identifier: user.identifier, password: user.password } }), 200, 'sign-in')).token as string;
  }
  return recording.record(async () => {
    for (const user of users) await expectStatus(recording.api('GET', '/v1/me', { from: user.address, token: user.token! }), 200, 'GET /v1/me');
  });
}

/**
 * 100,000 pending invitations seeded by raw BatchWrite through the import's own item builders
 * (not recorded, as the bench seeds them), then POST /v1/admin/exports to `completed`.
 */
async function export100k(recording: RecordingStack): Promise<Invocation[]> {
  const tenant = await newTenant(recording, 'export');
  // Loaded once the stack has set the configuration they read (the code key).
  const { newInvitationRecord } = await import('../../shared/domain/invitations');
  const { pendingInvitationItem } = await import('../../shared/db/invitations');
  const raw = DynamoDBDocumentClient.from(localDynamoDbClient(recording.stack.endpoints.dynamoDb), { marshallOptions: { removeUndefinedValues: true } });
  const tableName = process.env.TABLE_NAME!;
  const inviter = { tenantId: tenant.id, accessCodeTtlDays: 30, userId: 'capacity' };
  let next = 0;
  const lane = async () => {
    while (next < exportRows) {
      const start = next;
      next = Math.min(exportRows, next + 25);
      const items = await Promise.all(
        Array.from({ length: next - start }, async (_, offset) => {
          const index = start + offset;
          const { record } = await newInvitationRecord(inviter, { uid: `X${index}`, role: 'member', groupIds: [], firstName: `First${index}`, lastName: `Last${index}` });
          return { PutRequest: { Item: pendingInvitationItem(record) } };
        }),
      );
      let pending: unknown[] | undefined = items;
      while (pending && pending.length > 0) {
        const answer: { UnprocessedItems?: Record<string, unknown[]> } = await raw.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
        pending = answer.UnprocessedItems?.[tableName];
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  raw.destroy();
  return recording.record(
    async () => {
      const started = await expectStatus(recording.api('POST', '/v1/admin/exports', { token: tenant.adminToken, body: { kind: 'invitations' } }), 202, 'create export');
      const final = await pollUntilDone(() => expectStatus(recording.api('GET', `/v1/admin/exports/${started.id as string}`, { token: tenant.adminToken }), 200, 'export status'), 900_000);
      if (final.status !== 'completed' || final.count !== exportRows) throw new Error(`export ended ${String(final.status)} with ${String(final.count)} rows`);
    },
    { excluded: ['getExport'] },
  );
}

export const scenarios: Record<ScenarioName, (recording: RecordingStack) => Promise<Invocation[]>> = { import50k, signIns, me, export100k };
