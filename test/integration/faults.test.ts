import { awaitImport, call, expectProblem, invite, newTenant, setFaults, switchSignInWithoutEmail, tenantItems, uploadImport, xlsxOf, type TestTenant } from './support';

/**
 * Faults injected into the DynamoDB client of every function of the local stack (a
 * middleware that fails a chosen share of calls as throttled or timed out; shared/faults.ts).
 */
let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('faults');
  await switchSignInWithoutEmail(tenant, true);
});
afterEach(() => setFaults({ dynamoDbFailureShare: 0, dynamoDbFailure: 'throttle', dynamoDbFailureScope: [] }));

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
