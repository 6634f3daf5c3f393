import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

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
}

/** One HTTP call to the local stack. */
export async function call<T = Record<string, unknown>>(method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.operator) headers['x-operator-key'] = operatorKey;
  Object.assign(headers, options.headers);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = {};
  if (text && /json/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export const uniqueSuffix = () => randomBytes(5).toString('hex');

export interface TestTenant {
  id: string;
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
  return { id: created.body.tenant.id, domain, admin: { id: created.body.admin.id, email, password, token } };
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

/** Every item of a tenant's partition, for "nothing changed" checks. */
export async function tenantItems(tenantId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `T#${tenantId}` }, ConsistentRead: true, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

export async function getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined> {
  return (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }))).Item;
}

/** Asserts a problem document with the given status and code. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.code }).toEqual({ status, code });
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ type: expect.stringContaining(code), title: expect.any(String), status, detail: expect.any(String) });
  expect(answer.headers.get('x-request-id')).toBeTruthy();
}
