import { readFileSync } from 'node:fs';
import { metricNames } from '../../shared/core/metric-names';
import { throttleLimits } from '../../shared/domain/throttle';
import {
  awaitImport,
  call,
  inOneThrottleWindow,
  invite,
  newTenant,
  otherAddress,
  switchSignInWithoutEmail,
  uniqueSuffix,
  uploadImport,
  xlsxOf,
  type Answer,
  type CallOptions,
  type TestTenant,
} from './support';

/**
 * What the functions print on the local stack (Powertools Logger and Metrics), read from the
 * stack's log: EMF lines with the right names, values, namespace and dimensions for each
 * fact; the request's and the tenant's ids on every line of a request; no tenant carried into
 * the next request of a warm function; no secret anywhere.
 */

type Line = Record<string, unknown> & { _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };

const secrets = new Set<string>();
const requestIds: Record<string, string> = {};

/** Calls the API and keeps the request id under a name, for the checks below. */
async function api<T = Record<string, unknown>>(name: string, method: string, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const answer = await call<T>(method, path, options);
  requestIds[name] = answer.headers.get('x-request-id') ?? '';
  return answer;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not done in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stackLines(): Line[] {
  return readFileSync(process.env.EMAILLESS_LOG_FILE!, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        return {};
      }
    });
}

const emfLines = (lines: Line[]) => lines.filter((line) => line._aws !== undefined);
const metricLines = (lines: Line[], name: string, tenantId: string | undefined) =>
  emfLines(lines).filter((line) => line._aws!.CloudWatchMetrics.some((directive) => directive.Metrics.some((metric) => metric.Name === name)) && (tenantId === undefined || line.tenantId === tenantId));

/** The log once every metric line the flow waits for is in it: workers print theirs at the end of their invocation, requests their latency last. */
async function logWith(expected: { name: string; tenantId: string }[]): Promise<Line[]> {
  return until(
    async () => stackLines(),
    (lines) => expected.every(({ name, tenantId }) => metricLines(lines, name, tenantId).length > 0) && Object.values(requestIds).every((id) => lines.some((line) => line.requestId === id && line.ApiLatency !== undefined)),
    'the metric lines',
  );
}

let tenant: TestTenant;
let other: TestTenant;
let lines: Line[];
const memberPassword = `member-${uniqueSuffix()}-password`;

beforeAll(async () => {
  [tenant, other] = await Promise.all([newTenant('obs'), newTenant('obs-other')]);
  for (const value of [tenant.admin.password, other.admin.password, tenant.admin.token, other.admin.token, memberPassword]) secrets.add(value);
  const admin = { token: tenant.admin.token };

  // Sign-ins: one good, one wrong password.
  const good = await api<{ token: string; deviceToken: string }>('good sign-in', 'POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: tenant.admin.password } });
  expect(good.status).toBe(200);
  secrets.add(good.body.token).add(good.body.deviceToken);
  const wrongPassword = `wrong-${uniqueSuffix()}-password`;
  secrets.add(wrongPassword);
  expect((await api('bad sign-in', 'POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: wrongPassword }, from: otherAddress() })).status).toBe(401);

  // A throttled attempt: an unknown identifier past its limit, from one address.
  await inOneThrottleWindow();
  const throttledIdentifier = `nobody-${uniqueSuffix()}@nowhere.example`;
  const from = otherAddress();
  for (let attempt = 0; attempt < throttleLimits.signInFailuresPerIdentifier; attempt++) {
    expect((await call('POST', '/v1/auth/sign-in', { body: { identifier: throttledIdentifier, password: wrongPassword }, from })).status).toBe(401);
  }
  expect((await api('throttled', 'POST', '/v1/auth/sign-in', { body: { identifier: throttledIdentifier, password: wrongPassword }, from })).status).toBe(429);

  // An invitation, its code seen, and the sign-up with it.
  await switchSignInWithoutEmail(tenant, true);
  const [invitation] = await invite(tenant, [{ uid: `Obs${uniqueSuffix()}`, role: 'member' }]);
  secrets.add(invitation!.accessCode).add(invitation!.accessCode.replace(/-/g, ''));
  const seen = await api<{ accessCode: string }>('code view', 'GET', `/v1/admin/invitations/${invitation!.id}/access-code`, admin);
  expect(seen.status).toBe(200);
  const signedUp = await api<{ token: string; deviceToken: string }>('sign-up', 'POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: memberPassword } });
  expect(signedUp.status).toBe(201);
  secrets.add(signedUp.body.token).add(signedUp.body.deviceToken);

  // An import of three rows (two pending invitations for the letters), an export and a letters run.
  const importId = await uploadImport(tenant, xlsxOf([[`ObsA${uniqueSuffix()}`, 'A', 'One'], [`ObsB${uniqueSuffix()}`, 'B', 'Two'], [`ObsC${uniqueSuffix()}`, 'C', 'Three']]));
  expect((await awaitImport(tenant, importId)).final).toMatchObject({ status: 'completed', invitedCount: 3 });
  const started = await api<{ id: string }>('export', 'POST', '/v1/admin/exports', { ...admin, body: { kind: 'invitations' } });
  expect(started.status).toBe(202);
  await until(() => call<{ status: string }>('GET', `/v1/admin/exports/${started.body.id}`, admin), (state) => state.body.status !== 'running', 'the export');
  const letters = await api<{ id: string }>('letters', 'POST', '/v1/admin/letters', { ...admin, body: { filter: {}, layout: 'cards' } });
  expect(letters.status).toBe(202);
  const run = await until(() => call<{ status: string; count: number }>('GET', `/v1/admin/letters/${letters.body.id}`, admin), (state) => state.body.status !== 'running', 'the letters');
  expect(run.body).toMatchObject({ status: 'completed', count: 3 });

  // The same function (GET /v1/me) warm: the tenant's admin, then the other tenant's, then no one.
  expect((await api('me of the tenant', 'GET', '/v1/me', admin)).status).toBe(200);
  expect((await api('me of the other tenant', 'GET', '/v1/me', { token: other.admin.token })).status).toBe(200);
  expect((await api('me of no one', 'GET', '/v1/me')).status).toBe(401);

  const t = tenant.id;
  lines = await logWith(
    [
      metricNames.signIns,
      metricNames.signInFailures,
      metricNames.accessCodesViewed,
      metricNames.signUps,
      metricNames.importsStarted,
      metricNames.importsCompleted,
      metricNames.exportsCompleted,
      metricNames.letterRunsCompleted,
    ].map((name) => ({ name, tenantId: t })),
  );
}, 180_000);

const onlyLine = (name: string, requestName: string) => {
  const found = emfLines(lines).filter((line) => line.requestId === requestIds[requestName] && line[name] !== undefined);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('metrics in the embedded metric format', () => {
  it('every EMF line: namespace emailless, dimension service (emailless locally), the tenant never a dimension', () => {
    const ours = emfLines(lines).filter((line) => line.tenantId === tenant.id);
    expect(ours.length).toBeGreaterThan(10);
    for (const line of emfLines(lines)) {
      const [directive, ...more] = line._aws!.CloudWatchMetrics;
      expect(more).toEqual([]);
      expect(directive!.Namespace).toBe('emailless');
      expect(line.service).toBe('emailless');
      for (const dimensions of directive!.Dimensions) {
        expect(dimensions[0]).toBe('service');
        expect(dimensions).not.toContain('tenantId');
        expect(dimensions.every((name) => ['service', 'routeGroup'].includes(name))).toBe(true);
      }
    }
  });

  it('sign-ins: a SignIn for the good one, a SignInFailure for the wrong password, each with the tenant as a property', () => {
    expect(onlyLine('SignIns', 'good sign-in')).toMatchObject({ SignIns: 1, tenantId: tenant.id, _aws: { CloudWatchMetrics: [{ Dimensions: [['service']], Metrics: [{ Name: 'SignIns', Unit: 'Count' }] }] } });
    const failure = onlyLine('SignInFailures', 'bad sign-in');
    expect(failure).toMatchObject({ SignInFailures: 1, tenantId: tenant.id });
    expect(failure).not.toHaveProperty('SignIns');
  });

  it('a 429 too_many_attempts: one ThrottledAttempt, and no SignInFailure for it', () => {
    const line = onlyLine('ThrottledAttempts', 'throttled');
    expect(line).toMatchObject({ ThrottledAttempts: 1 });
    expect(line).not.toHaveProperty('SignInFailures');
    expect(line).not.toHaveProperty('tenantId');
  });

  it('a code viewed and a sign-up', () => {
    expect(onlyLine('AccessCodesViewed', 'code view')).toMatchObject({ AccessCodesViewed: 1, tenantId: tenant.id, userId: tenant.admin.id });
    expect(onlyLine('SignUps', 'sign-up')).toMatchObject({ SignUps: 1, tenantId: tenant.id });
  });

  it('the import: started and completed once, with its rows and its duration in milliseconds', () => {
    const started = metricLines(lines, metricNames.importsStarted, tenant.id);
    const completed = metricLines(lines, metricNames.importsCompleted, tenant.id);
    expect(started.map((line) => line.ImportsStarted)).toEqual([1]);
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ ImportsCompleted: 1, ImportRows: 3, ImportDuration: expect.any(Number), importId: expect.any(String) });
    expect(completed[0]!._aws!.CloudWatchMetrics[0]!.Metrics).toEqual(expect.arrayContaining([{ Name: 'ImportDuration', Unit: 'Milliseconds' }, { Name: 'ImportRows', Unit: 'Count' }]));
    expect(completed[0]!.ImportDuration as number).toBeGreaterThanOrEqual(0);
    expect(completed[0]!.ImportDuration as number).toBeLessThan(60_000);
    expect(metricLines(lines, metricNames.importsFailed, tenant.id)).toEqual([]);
  });

  it('the export and the letters run: completed once, with the letters printed', () => {
    expect(metricLines(lines, metricNames.exportsCompleted, tenant.id).map((line) => line.ExportsCompleted)).toEqual([1]);
    const letters = metricLines(lines, metricNames.letterRunsCompleted, tenant.id);
    expect(letters).toEqual([expect.objectContaining({ LetterRunsCompleted: 1, LettersPrinted: 3 })]);
    expect(metricLines(lines, metricNames.exportsFailed, tenant.id)).toEqual([]);
    expect(metricLines(lines, metricNames.letterRunsFailed, tenant.id)).toEqual([]);
  });

  it('ApiLatency for every request, in milliseconds, by routeGroup', () => {
    const expectedGroups: Record<string, string> = { 'good sign-in': 'auth', 'code view': 'admin-invitations', 'sign-up': 'sign-up', export: 'admin-exports', 'me of no one': 'me', throttled: 'auth' };
    for (const [name, routeGroup] of Object.entries(expectedGroups)) {
      const line = onlyLine('ApiLatency', name);
      expect(line).toMatchObject({ routeGroup, ApiLatency: expect.any(Number) });
      expect(line._aws!.CloudWatchMetrics[0]).toEqual({ Namespace: 'emailless', Dimensions: [['service', 'routeGroup']], Metrics: [{ Name: 'ApiLatency', Unit: 'Milliseconds' }] });
    }
  });
});

describe('log lines', () => {
  it('every line of an admin request carries its requestId and the tenant, the access line included', () => {
    for (const name of ['code view', 'export', 'letters', 'me of the tenant']) {
      const ofRequest = lines.filter((line) => line.requestId === requestIds[name]);
      expect(ofRequest.some((line) => line.message === 'request')).toBe(true);
      for (const line of ofRequest) expect({ name, tenantId: line.tenantId }).toEqual({ name, tenantId: tenant.id });
    }
  });

  it('a worker’s lines carry the tenant and the job from the start of the work', () => {
    const importLines = lines.filter((line) => line.message === 'import claimed' && line.tenantId === tenant.id);
    expect(importLines).toHaveLength(1);
    const ofImport = lines.filter((line) => line.importId === importLines[0]!.importId);
    expect(ofImport.length).toBeGreaterThanOrEqual(3);
    for (const line of ofImport) expect(line).toMatchObject({ tenantId: tenant.id, requestId: expect.any(String) });
  });

  it('a warm function does not carry the previous request’s tenant into the next', () => {
    const of = (name: string) => lines.filter((line) => line.requestId === requestIds[name]);
    expect(of('me of the tenant').every((line) => line.tenantId === tenant.id)).toBe(true);
    const second = of('me of the other tenant');
    expect(second.length).toBeGreaterThanOrEqual(2);
    for (const line of second) expect(line).toMatchObject({ tenantId: other.id, userId: other.admin.id });
    const third = of('me of no one');
    expect(third.length).toBeGreaterThanOrEqual(2);
    for (const line of third) {
      expect(line).not.toHaveProperty('tenantId');
      expect(line).not.toHaveProperty('userId');
    }
  });

  it('the local stack prints nothing about X-Ray (tracing is off outside Lambda)', () => {
    const text = readFileSync(process.env.EMAILLESS_LOG_FILE!, 'utf8');
    expect(text).not.toMatch(/X-Ray|AWS_XRAY|trace data|subsegment/i);
  });

  it('no password, access code or token anywhere in the log', () => {
    const text = readFileSync(process.env.EMAILLESS_LOG_FILE!, 'utf8');
    expect(secrets.size).toBeGreaterThanOrEqual(9);
    expect([...secrets].filter((secret) => text.includes(secret))).toEqual([]);
    // The search finds a value where there is one: the tenant's id is in the log.
    expect(text).toContain(tenant.id);
  });
});
