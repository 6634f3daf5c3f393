import { keys } from '../../shared/db/keys';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awaitImport, call, createGroup, expectProblem, getItem, invite, newTenant, setFaults, switchSignInWithoutEmail, tenantItems, uploadImport, xlsxOf, type Answer, type TestTenant } from './support';

/**
 * Faults injected into the DynamoDB and S3 clients of every function of the local stack (a
 * middleware that fails a chosen share of calls as AWS would fail them; shared/faults.ts).
 */
let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('faults');
  await switchSignInWithoutEmail(tenant, true);
});
afterEach(() => setFaults({ dynamoDbFailureShare: 0, dynamoDbFailure: 'throttle', dynamoDbFailureScope: [], indexLagMs: 0, s3MissingObjectStatus: 404, workerFailures: [] }));

/** Faults hit only calls about this file's tenant, so files running beside it are not disturbed. */
const scope = () => ({ dynamoDbFailureScope: [tenant.id, tenant.domain] });

const sheet = (count: number, prefix: string) => xlsxOf(Array.from({ length: count }, (_, index) => [`${prefix}${index}`]), ['uid']);

describe('with DynamoDB throttling and timeouts injected', () => {
  it('an import still invites every row once', async () => {
    const id = await uploadImport(tenant, sheet(600, 'F'), {
      beforeUpload: () => setFaults({ dynamoDbFailureShare: 0.3, dynamoDbFailure: 'throttle', ...scope() }),
    });
    const { final } = await awaitImport(tenant, id, 120_000, { retryUnavailable: true }).catch(async (error: unknown) => {
      await setFaults({ dynamoDbFailureShare: 0 });
      throw error;
    });
    await setFaults({ dynamoDbFailureShare: 0 });
    expect(final).toMatchObject({ status: 'completed', totalRows: 600, invitedCount: 600, failedCount: 0 });
    const invitations = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' && String(item.uid).startsWith('F'));
    expect(invitations).toHaveLength(600);
  });

  it('sign-ups either succeed or answer a retryable 503, never a 500, and a retry gets through once', async () => {
    const invited = await invite(tenant, Array.from({ length: 10 }, (_, index) => ({ uid: `S${index}`, role: 'member' })));
    await setFaults({ dynamoDbFailureShare: 0.3, dynamoDbFailure: 'timeout', ...scope() });
    const statuses: number[] = [];
    for (const invitation of invited) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const answer = await call('POST', '/v1/sign-up', { body: { accessCode: invitation.accessCode, password: 'a fine password' } });
        statuses.push(answer.status);
        if (answer.status === 503) {
          expect(answer.headers.get('retry-after')).toBe('1');
          continue;
        }
        // A sign-up whose answer was lost to a fault may have gone through: the retry then says so.
        expect([201, 409]).toContain(answer.status);
        if (answer.status === 409) expect(answer.body.code).toBe('access_code_used');
        break;
      }
    }
    await setFaults({ dynamoDbFailureShare: 0 });
    expect(statuses.every((status) => status < 500 || status === 503)).toBe(true);
    const users = (await tenantItems(tenant.id)).filter((item) => item.type === 'user' && String(item.uid).startsWith('S'));
    expect(users.map((user) => user.uid).sort()).toEqual(invited.map((invitation) => invitation.uid).sort());
  });

  it('answers 503 with Retry-After, not 500, while the store is unavailable', async () => {
    await setFaults({ dynamoDbFailureShare: 1, dynamoDbFailure: 'timeout', ...scope() });
    const me = await call('GET', '/v1/me', { token: tenant.admin.token });
    const signIn = await call('POST', '/v1/auth/sign-in', { body: { identifier: tenant.admin.email, password: tenant.admin.password } });
    await setFaults({ dynamoDbFailureShare: 0 });
    for (const answer of [me, signIn]) {
      expectProblem(answer, 503, 'service_unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(answer.text).not.toMatch(/Injected|stack|at /);
    }
    expect((await call('GET', '/v1/me', { token: tenant.admin.token })).status).toBe(200);
  });
});

/** The local stack's s3rver, as a test reaches it directly. */
const s3Client = () => new S3Client({ endpoint: process.env.EMAILLESS_S3_ENDPOINT, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });

/** A definite answer: success, a refusal the caller can act on, or 503 with Retry-After; never a 500. */
function expectDefinite(answer: Answer, allowed: number[]): void {
  if (answer.status === 503) {
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body.code).toBe('service_unavailable');
    return;
  }
  expect(allowed).toContain(answer.status);
}

describe('with transaction conflicts injected (TransactionCanceledException with TransactionConflict, TransactionConflictException)', () => {
  it('50 concurrent invitations of one uid give exactly one 201, the others 409 uid_taken or 503', async () => {
    await setFaults({ dynamoDbFailureShare: 0.4, dynamoDbFailure: 'conflict', ...scope() });
    const one = (index: number) => call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'Race1', role: 'member' }] }, from: `127.0.${index}.9` });
    const both = (index: number) =>
      call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'Race2', role: 'member' }, { uid: `Other${index}`, role: 'member' }] } });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? one(index) : both(index))));
    await setFaults({ dynamoDbFailureShare: 0 });
    for (const answer of answers) {
      expectDefinite(answer, [201, 409]);
      if (answer.status === 409) expect(answer.body.code).toBe('uid_taken');
    }
    const created = answers.filter((answer) => answer.status === 201);
    const singles = created.filter((answer) => (answer.body.items as { uid: string }[]).some((item) => item.uid === 'Race1'));
    const pairs = created.filter((answer) => (answer.body.items as { uid: string }[]).some((item) => item.uid === 'Race2'));
    expect([singles.length, pairs.length]).toEqual([1, 1]);
    const claims = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' && /^(Race|Other)/.test(String(item.uid)));
    expect(claims.filter((item) => item.uid === 'Race1')).toHaveLength(1);
    expect(claims.filter((item) => item.uid === 'Race2')).toHaveLength(1);
  });

  it('a write that meets a transaction on every try answers 503 with Retry-After and stores nothing', async () => {
    await setFaults({ dynamoDbFailureShare: 1, dynamoDbFailure: 'conflict', ...scope() });
    const single = await call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'Busy1', role: 'member' }] } });
    const pair = await call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid: 'Busy2', role: 'member' }, { uid: 'Busy3', role: 'member' }] } });
    await setFaults({ dynamoDbFailureShare: 0 });
    for (const answer of [single, pair]) {
      expectProblem(answer, 503, 'service_unavailable');
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    expect((await tenantItems(tenant.id)).filter((item) => String(item.uid).startsWith('Busy'))).toEqual([]);
  });

  it('group and settings writes racing each other all end in a definite answer, and the group directory matches the groups', async () => {
    const groups = await Promise.all(['G-a', 'G-b', 'G-c', 'G-d'].map((name) => createGroup(tenant, name)));
    await setFaults({ dynamoDbFailureShare: 0.4, dynamoDbFailure: 'conflict', ...scope() });
    const token = tenant.admin.token;
    const work: Promise<[Answer, number[]]>[] = [
      ...Array.from({ length: 8 }, (_, index) => call('POST', '/v1/admin/groups', { token, body: { name: `G-new${index % 4}` } }).then((answer): [Answer, number[]] => [answer, [201, 409]])),
      ...groups.map((group, index) => call('PATCH', `/v1/admin/groups/${group.id}`, { token, body: { name: `G-renamed${index}` } }).then((answer): [Answer, number[]] => [answer, [200, 404, 409]])),
      ...groups.slice(0, 2).map((group) => call('DELETE', `/v1/admin/groups/${group.id}`, { token }).then((answer): [Answer, number[]] => [answer, [204, 404]])),
      ...Array.from({ length: 6 }, (_, index) => call('PATCH', '/v1/admin/settings', { token, body: { accessCodeTtlDays: 10 + index } }).then((answer): [Answer, number[]] => [answer, [200]])),
    ];
    const answers = await Promise.all(work);
    await setFaults({ dynamoDbFailureShare: 0 });
    for (const [answer, allowed] of answers) expectDefinite(answer, allowed);
    expect(answers.filter(([answer]) => answer.status < 300).length).toBeGreaterThan(0);

    // Whatever went through, went through whole: every group is in the directory under its name, and nothing else is.
    const items = await tenantItems(tenant.id);
    const stored = new Map(items.filter((item) => item.type === 'group').map((item) => [item.id as string, item.name as string]));
    const directory = (await getItem(keys.groupDirectory(tenant.id)))!;
    const listed = new Map(Object.entries(directory).flatMap(([attribute, name]) => (attribute.startsWith('group:') ? [[attribute.slice('group:'.length), String(name)]] : [])));
    expect(listed).toEqual(stored);
    const nameClaims = items.filter((item) => item.type === 'groupName').map((item) => item.groupId).sort();
    expect(nameClaims).toEqual([...stored.keys()].sort());
  });

  it('sign-ins and a password reset racing them answer 200, 401 or 503, never 500', async () => {
    const [member] = await invite(tenant, [{ uid: 'Racer', role: 'member' }]);
    const signedUp = await call<{ user: { id: string } }>('POST', '/v1/sign-up', { body: { accessCode: member!.accessCode, password: 'the first password' } });
    expect(signedUp.status).toBe(201);
    await setFaults({ dynamoDbFailureShare: 0.4, dynamoDbFailure: 'conflict', ...scope() });
    const identifier = `Racer:${tenant.domain}`;
    const signIns = Array.from({ length: 10 }, (_, index) => call('POST', '/v1/auth/sign-in', { body: { identifier, password: 'the first password' }, from: `127.1.${index}.7` }));
    const reset = call('PUT', `/v1/admin/users/${signedUp.body.user.id}/password`, { token: tenant.admin.token, body: { password: 'the second password', temporary: false } });
    const answers = await Promise.all([...signIns, reset]);
    await setFaults({ dynamoDbFailureShare: 0 });
    for (const answer of answers.slice(0, -1)) expectDefinite(answer, [200, 401, 429]);
    expectDefinite(answers.at(-1)!, [204, 409]);
  });
});

describe('with throttled transactions injected (TransactionCanceledException with ThrottlingError)', () => {
  it('an import still invites every row once', async () => {
    const id = await uploadImport(tenant, sheet(600, 'T'), {
      beforeUpload: () => setFaults({ dynamoDbFailureShare: 0.5, dynamoDbFailure: 'transactionThrottle', ...scope() }),
    });
    const { final } = await awaitImport(tenant, id, 120_000, { retryUnavailable: true }).finally(() => setFaults({ dynamoDbFailureShare: 0 }));
    expect(final).toMatchObject({ status: 'completed', totalRows: 600, invitedCount: 600, failedCount: 0 });
    const invitations = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' && /^T\d+$/.test(String(item.uid)));
    expect(invitations).toHaveLength(600);
  });

  it('a settings change answers 200 or 503 with Retry-After, never 500', async () => {
    await setFaults({ dynamoDbFailureShare: 1, dynamoDbFailure: 'transactionThrottle', ...scope() });
    const answer = await call('PATCH', '/v1/admin/settings', { token: tenant.admin.token, body: { accessCodeTtlDays: 12 } });
    await setFaults({ dynamoDbFailureShare: 0 });
    expectProblem(answer, 503, 'service_unavailable');
    expect(answer.headers.get('retry-after')).toBe('1');
  });
});

describe('with batch writes left unprocessed (UnprocessedItems)', () => {
  it('an import still stores every row error', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => [index % 2 === 0 ? `U${index}` : `bad uid ${index}`]);
    const id = await uploadImport(tenant, xlsxOf(rows, ['uid']), {
      beforeUpload: () => setFaults({ dynamoDbFailureShare: 0.5, dynamoDbFailure: 'unprocessed', ...scope() }),
    });
    const { final } = await awaitImport(tenant, id, 120_000, { retryUnavailable: true }).finally(() => setFaults({ dynamoDbFailureShare: 0 }));
    expect(final).toMatchObject({ status: 'completed', totalRows: 120, invitedCount: 60, failedCount: 60 });
    expect(final.failure).toBeUndefined();
    const errors = (await tenantItems(tenant.id)).filter((item) => item.type === 'importError' && String(item.pk).includes(id));
    expect(errors).toHaveLength(60);
  });
});

describe('with a lagging code index', () => {
  it('a code works at once after an invitation and after a regeneration', async () => {
    await setFaults({ indexLagMs: 400 });
    const [invited] = await invite(tenant, [{ uid: 'Fresh1', role: 'member' }]);
    expect((await call('POST', '/v1/sign-up/verify', { body: { accessCode: invited!.accessCode } })).status).toBe(200);
    const regenerated = await call<{ accessCode: string }>('POST', `/v1/admin/invitations/${invited!.id}/access-code`, { token: tenant.admin.token });
    expect(regenerated.status).toBe(201);
    const signUp = await call('POST', '/v1/sign-up', { body: { accessCode: regenerated.body.accessCode, password: 'a fine password' } });
    expect(signUp.status).toBe(201);
  });
});

describe('with S3 answering 403 for a missing object (a role without s3:ListBucket)', () => {
  it('the report is a redirect to a presigned download, and once expired says it is no longer kept', async () => {
    const id = await uploadImport(tenant, sheet(3, 'R'), { fileName: 'people.xlsx' });
    expect((await awaitImport(tenant, id)).final.status).toBe('completed');

    const redirect = await call<{ downloadUrl: string; expiresAt: string }>('GET', `/v1/admin/imports/${id}/report`, { token: tenant.admin.token });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(redirect.body.downloadUrl);
    const asJson = await call<{ downloadUrl: string; expiresAt: string }>('GET', `/v1/admin/imports/${id}/report`, { token: tenant.admin.token, headers: { accept: 'application/json' } });
    expect(asJson.status).toBe(200);
    expect(asJson.body).toEqual({ downloadUrl: expect.stringContaining(`imports/${tenant.id}/${id}/report.xlsx`), expiresAt: expect.any(String) });
    const file = await fetch(asJson.body.downloadUrl);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="people-report.xlsx"');

    // The bucket's lifecycle rule removes reports after 7 days.
    await s3Client().send(new DeleteObjectCommand({ Bucket: 'emailless-files', Key: `imports/${tenant.id}/${id}/report.xlsx` }));
    await setFaults({ s3MissingObjectStatus: 403 });
    const gone = await call('GET', `/v1/admin/imports/${id}/report`, { token: tenant.admin.token });
    expectProblem(gone, 409, 'import_not_finished');
    expect(gone.body.detail).toMatch(/no longer kept/);
  });
});

describe('with S3 answering 403 for a missing upload', () => {
  it('an import whose upload is gone when its retry runs fails as upload_missing, not into the dead-letter queue', async () => {
    const id = await uploadImport(tenant, sheet(5, 'M'), {
      beforeUpload: (importId) => setFaults({ importCrash: { importId, afterRows: 1 }, s3MissingObjectStatus: 403 }),
    });
    // The first attempt crashes after one row; before Lambda's retry takes the import over, the upload expires.
    for (let polls = 0; polls < 100 && (await call<{ status: string }>('GET', `/v1/admin/imports/${id}`, { token: tenant.admin.token })).body.status !== 'processing'; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await s3Client().send(new DeleteObjectCommand({ Bucket: 'emailless-files', Key: `imports/${tenant.id}/${id}/upload.xlsx` }));
    const { final } = await awaitImport(tenant, id, 60_000);
    expect(final).toMatchObject({ status: 'failed', failure: { code: 'upload_missing' } });
  });
});

describe('when Lambda gives up on a worker (every attempt fails)', () => {
  it('the import is marked failed by the failure destination, and the poll ends', async () => {
    const id = await uploadImport(tenant, sheet(5, 'W'), { beforeUpload: (importId) => setFaults({ workerFailures: [importId] }) });
    const { final } = await awaitImport(tenant, id, 60_000).finally(() => setFaults({ workerFailures: [] }));
    expect(final).toMatchObject({ status: 'failed', failure: { code: 'worker_failed', message: expect.stringContaining('Upload the file again') } });
  });

  it('the export is marked failed by the failure destination', async () => {
    const other = await newTenant('gives-up');
    await setFaults({ workerFailures: [other.id] });
    const started = await call<{ id: string }>('POST', '/v1/admin/exports', { token: other.admin.token, body: { kind: 'invitations' } });
    expect(started.status).toBe(202);
    const deadline = Date.now() + 60_000;
    let state: Answer;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = await call('GET', `/v1/admin/exports/${started.body.id}`, { token: other.admin.token });
    } while (state.body.status === 'running' && Date.now() < deadline);
    await setFaults({ workerFailures: [] });
    expect(state.body).toMatchObject({ status: 'failed', failure: { code: 'worker_failed' } });
  });
});
