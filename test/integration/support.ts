import { keys, type Key } from '../../shared/db/keys';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { XlsxWriter } from '../../shared/excel/write';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { throttleLimits } from '../../shared/domain/throttle';
import { assertContract, isApiUrl } from '../support/openapi-contract';

export const baseUrl = process.env.EMAILLESS_URL!;
export const operatorKey = process.env.EMAILLESS_OPERATOR_KEY!;

export interface Answer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of JSON.stringify(body). */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  operator?: boolean;
  /** The client address to call from; any address of 127.0.0.0/8 works on loopback. */
  from?: string;
}

const randomByte = () => 1 + Math.floor(Math.random() * 250);
/**
 * Each test file calls from its own loopback address, so per-address brute-force counters
 * of one file never throttle another.
 */
export const fileAddress = `127.${randomByte()}.${randomByte()}.${randomByte()}`;
export const otherAddress = () => `127.${randomByte()}.${randomByte()}.${randomByte()}`;

/** One HTTP call to the local stack; an answer that departs from the OpenAPI document rejects. */
export function call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.operator) headers['x-operator-key'] = operatorKey;
  Object.assign(headers, options.headers);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers, localAddress: options.from ?? fileAddress, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          const status = response.statusCode ?? 0;
          try {
            if (isApiUrl(url)) assertContract({ method, url: url.href, status, headers: responseHeaders, body: Buffer.concat(chunks) });
          } catch (error) {
            reject(error as Error);
            return;
          }
          let body: unknown = {};
          if (text && /json/.test(responseHeaders.get('content-type') ?? '')) body = JSON.parse(text);
          resolve({ status, headers: responseHeaders, body: body as T, text });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export const uniqueSuffix = () => randomBytes(5).toString('hex');

export interface TestTenant {
  id: string;
  name: string;
  domain: string;
  admin: { id: string; email: string; password: string; token: string };
}

/** A fresh tenant for one test file, with its admin signed in. */
export async function newTenant(label = 'test'): Promise<TestTenant> {
  const suffix = uniqueSuffix();
  const domain = `${label}-${suffix}.example`;
  const password = `pw-${suffix}-long-enough`;
  const email = `admin@${domain}`;
  const created = await call<{ tenant: { id: string }; admin: { id: string } }>('POST', '/v1/tenants', {
    operator: true,
    body: { name: `Org ${suffix}`, domain, admin: { email, password } },
  });
  if (created.status !== 201) throw new Error(`tenant not created: ${created.status} ${created.text}`);
  const token = await signIn(email, password);
  return { id: created.body.tenant.id, name: `Org ${suffix}`, domain, admin: { id: created.body.admin.id, email, password, token } };
}

export async function signIn(identifier: string, password: string): Promise<string> {
  const answer = await call<{ token: string }>('POST', '/v1/auth/sign-in', { body: { identifier, password } });
  if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  return answer.body.token;
}

const tableName = 'emailless';
export const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint: process.env.EMAILLESS_DYNAMODB_ENDPOINT,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  }),
);

/**
 * Every item of a tenant in the table `client` reaches, for "nothing changed" checks. The
 * tenant is spread over many partition keys (its own and those starting with it), so this
 * scans the local table.
 */
export async function scanTenantItems(client: DynamoDBDocumentClient, tenantId: string): Promise<Record<string, unknown>[]> {
  const segments = 4;
  const scanSegment = async (Segment: number) => {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          Segment,
          TotalSegments: segments,
          FilterExpression: 'pk = :tenant OR begins_with(pk, :within)',
          ExpressionAttributeValues: { ':tenant': keys.tenantPartition(tenantId), ':within': keys.tenantKeyPrefix(tenantId) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  };
  return (await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)))).flat();
}

/** Every item of a tenant on the tests' shared stack. */
export const tenantItems = (tenantId: string) => scanTenantItems(db, tenantId);

/** One item, by the key the data module builds for it (shared/db/keys.ts). */
export async function getItem(key: Key): Promise<Record<string, unknown> | undefined> {
  return (await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
}

/** Asserts a problem document with the given status and code. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ type: expect.stringContaining(code), title: expect.any(String), status, detail: expect.any(String) });
  expect(answer.headers.get('x-request-id')).toBeTruthy();
}

export async function switchSignInWithoutEmail(tenant: TestTenant, on: boolean): Promise<void> {
  const answer = await call('PATCH', '/v1/admin/settings', { token: tenant.admin.token, body: { signInWithoutEmail: on } });
  if (answer.status !== 200) throw new Error(`settings not changed: ${answer.status} ${answer.text}`);
}

export interface CreatedInvitation {
  id: string;
  uid: string;
  role: string;
  status: string;
  signInIdentifier: string;
  accessCode: string;
  expiresAt: string;
  groupIds: string[];
}

export async function invite(tenant: TestTenant, invitations: Record<string, unknown>[]): Promise<CreatedInvitation[]> {
  const answer = await call<{ items: CreatedInvitation[] }>('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations } });
  if (answer.status !== 201) throw new Error(`not invited: ${answer.status} ${answer.text}`);
  return answer.body.items;
}

export async function createGroup(tenant: TestTenant, name: string, isDefault = false): Promise<{ id: string; name: string }> {
  const answer = await call<{ id: string; name: string }>('POST', '/v1/admin/groups', { token: tenant.admin.token, body: { name, isDefault } });
  if (answer.status !== 201) throw new Error(`group not created: ${answer.status} ${answer.text}`);
  return answer.body;
}

export async function signUp(accessCode: string, password = 'a fine password'): Promise<{ token: string; user: Record<string, unknown> }> {
  const answer = await call<{ token: string; user: Record<string, unknown> }>('POST', '/v1/sign-up', { body: { accessCode, password } });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${answer.status} ${answer.text}`);
  return answer.body;
}

export interface ImportState {
  id: string;
  status: string;
  dryRun: boolean;
  mode: 'add' | 'sync';
  totalRows: number;
  processedRows: number;
  invitedCount: number;
  unchangedCount: number;
  updatedCount: number;
  failedCount: number;
  deactivatedCount: number;
  revokedCount: number;
  ignoredColumns: string[];
  failure?: { code: string; message: string };
  errors: { row: number; uid: string; code: string; message: string }[];
  errorsNextCursor: string | null;
}

/** Creates an import, PUTs the file to its presigned URL (as a browser would) and returns the import id. */
export async function uploadImport(
  tenant: TestTenant,
  file: Uint8Array,
  options: { dryRun?: boolean; fileName?: string; mode?: 'add' | 'sync'; allowMassRemoval?: boolean; token?: string; beforeUpload?: (id: string) => Promise<void> } = {},
): Promise<string> {
  const created = await call<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/v1/admin/imports', {
    token: options.token ?? tenant.admin.token,
    body: {
      dryRun: options.dryRun ?? false,
      ...(options.fileName ? { fileName: options.fileName } : {}),
      ...(options.mode ? { mode: options.mode } : {}),
      ...(options.allowMassRemoval ? { allowMassRemoval: true } : {}),
    },
  });
  if (created.status !== 201) throw new Error(`import not created: ${created.status} ${created.text}`);
  await options.beforeUpload?.(created.body.id);
  const upload = await fetch(created.body.uploadUrl, { method: "PUT", headers: created.body.uploadHeaders, body: new Uint8Array(file) });
  if (!upload.ok) throw new Error(`upload refused: ${upload.status}`);
  return created.body.id;
}

/** Polls an import until it completes or fails, recording every state seen. */
export async function awaitImport(
  tenant: TestTenant,
  importId: string,
  timeoutMs = 60_000,
  options: { retryUnavailable?: boolean; everyMs?: number } = {},
): Promise<{ final: ImportState; seen: ImportState[]; unavailable: number }> {
  const seen: ImportState[] = [];
  let unavailable = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call<ImportState>('GET', `/v1/admin/imports/${importId}`, { token: tenant.admin.token });
    // With faults injected the poll itself may meet a busy store: a client retries a 503 that carries Retry-After.
    if (options.retryUnavailable && answer.status === 503 && answer.headers.get('retry-after') && Date.now() < deadline) {
      unavailable++;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (answer.status !== 200) throw new Error(`import status: ${answer.status} ${answer.text}`);
    seen.push(answer.body);
    if (answer.body.status === 'completed' || answer.body.status === 'failed') return { final: answer.body, seen, unavailable };
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${answer.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}

/** Test stack only: switch injected faults (shared/faults.ts). */
export async function setFaults(faults: Record<string, unknown>): Promise<void> {
  const answer = await call('POST', '/__local/faults', { body: faults });
  if (answer.status !== 204) throw new Error(`faults not set: ${answer.status}`);
}

/** A one-sheet .xlsx with a header row and these rows, as an admin would upload it. */
export function xlsxOf(rows: (string | number | undefined)[][], header = ['uid', 'first name', 'last name']): Uint8Array {
  const writer = new XlsxWriter('Sheet1', header);
  for (const row of rows) writer.addRow(row);
  return writer.finish();
}

/**
 * Brute-force counters count in fixed 15-minute windows (shared/domain/throttle.ts). A test
 * that counts failures up to a limit waits, when a window is about to turn, for the next one:
 * otherwise its count would start over halfway.
 */
export async function inOneThrottleWindow(neededSeconds = 30): Promise<void> {
  const windowMs = throttleLimits.windowSeconds * 1000;
  const leftMs = windowMs - (Date.now() % windowMs);
  if (leftMs < neededSeconds * 1000) await new Promise((resolve) => setTimeout(resolve, leftMs + 50));
}
