import { call, expectProblem, inOneThrottleWindow, invite, newTenant, otherAddress, signUp, switchSignInWithoutEmail, type TestTenant } from './support';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('uidsignin');
  await switchSignInWithoutEmail(tenant, true);
  const [alice, bob, carol] = await invite(tenant, [
    { uid: 'Alice1', role: 'member' },
    { uid: 'Bob2', role: 'member' },
    { uid: 'Carol3', role: 'member' },
  ]);
  await signUp(alice!.accessCode, 'alice password');
  await signUp(bob!.accessCode, 'bob password');
  await signUp(carol!.accessCode, 'carol password');
});

describe('sign-in with uid:domain', () => {
  it('accepts any letter case of uid and domain', async () => {
    for (const identifier of [`Alice1:${tenant.domain}`, `ALICE1:${tenant.domain.toUpperCase()}`, ` alice1:${tenant.domain} `]) {
      const answer = await call('POST', '/v1/auth/sign-in', { body: { identifier, password: 'alice password' } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ user: { uid: 'Alice1', signInIdentifier: `Alice1:${tenant.domain}` } });
    }
  });

  it('answers a wrong uid, a wrong domain and a wrong password alike', async () => {
    const from = otherAddress();
    const answers = await Promise.all(
      [
        { identifier: `Nobody:${tenant.domain}`, password: 'alice password' },
        { identifier: 'Alice1:nowhere.example', password: 'alice password' },
        { identifier: `Alice1:${tenant.domain}`, password: 'wrong password' },
        { identifier: `Bob2:${tenant.domain}`, password: 'alice password' },
      ].map((body) => call('POST', '/v1/auth/sign-in', { body, from })),
    );
    const strip = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;
    for (const answer of answers) expectProblem(answer, 401, 'invalid_credentials');
    expect(new Set(answers.map((answer) => JSON.stringify(strip(answer.body)))).size).toBe(1);
  });
});

describe('brute force', () => {
  beforeEach(() => inOneThrottleWindow());

  it('locks one identifier after 10 failures, with Retry-After, without locking out another user', async () => {
    const attacker = otherAddress();
    for (let attempt = 0; attempt < 10; attempt++) {
      expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: `Carol3:${tenant.domain}`, password: `guess ${attempt}` }, from: attacker }), 401, 'invalid_credentials');
    }
    const locked = await call('POST', '/v1/auth/sign-in', { body: { identifier: `carol3:${tenant.domain}`, password: 'carol password' }, from: otherAddress() });
    expectProblem(locked, 429, 'too_many_attempts');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    const alice = await call('POST', '/v1/auth/sign-in', { body: { identifier: `Alice1:${tenant.domain}`, password: 'alice password' }, from: otherAddress() });
    expect(alice.status).toBe(200);
  });

  it('stops one client address after 50 failures, whatever the identifier, and no other address', async () => {
    const attacker = otherAddress();
    const guesses = Array.from({ length: 50 }, (_, index) => ({ identifier: `user${index}:${tenant.domain}`, password: 'guess' }));
    for (const body of guesses) expect((await call('POST', '/v1/auth/sign-in', { body, from: attacker })).status).toBe(401);
    expectProblem(await call('POST', '/v1/auth/sign-in', { body: { identifier: `Alice1:${tenant.domain}`, password: 'alice password' }, from: attacker }), 429, 'too_many_attempts');
    expect((await call('POST', '/v1/auth/sign-in', { body: { identifier: `Alice1:${tenant.domain}`, password: 'alice password' }, from: otherAddress() })).status).toBe(200);
  });

  it('stops code guessing from one address after 20 wrong codes', async () => {
    const guesser = otherAddress();
    for (let attempt = 0; attempt < 20; attempt++) {
      const answer = await call('POST', '/v1/sign-up/verify', { body: { accessCode: `ABCD-EFGH-JKMN-PQ${'RSTUVWXYZ2345678'[attempt % 16]}${'RSTUVWXYZ2345678'[attempt >> 4]}` }, from: guesser });
      expect(answer.status).toBe(400);
    }
    const [invitation] = await invite(tenant, [{ uid: 'Late9', role: 'member' }]);
    expectProblem(await call('POST', '/v1/sign-up/verify', { body: { accessCode: invitation!.accessCode }, from: guesser }), 429, 'too_many_attempts');
    expectProblem(await call('POST', '/v1/sign-up', { body: { accessCode: invitation!.accessCode, password: 'a fine password' }, from: guesser }), 429, 'too_many_attempts');
    expect((await call('POST', '/v1/sign-up/verify', { body: { accessCode: invitation!.accessCode }, from: otherAddress() })).status).toBe(200);
  });
});
