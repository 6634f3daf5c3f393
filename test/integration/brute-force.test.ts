import { keys } from '../../shared/db/keys';
import { counters } from '../../shared/domain/throttle';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { call, db, expectProblem, inOneThrottleWindow, invite, newTenant, otherAddress, signUp, switchSignInWithoutEmail, type Answer, type TestTenant } from './support';

/**
 * Brute force as an attacker tries it: guesses sent all at once (not one after another), from
 * real source addresses on loopback (the gateway reads the socket's address), against a user
 * who signs in from their own device meanwhile.
 */
let tenant: TestTenant;
const password = 'the right password';
const identifierOf = (uid: string) => `${uid}:${tenant.domain}`;
const signInAs = (uid: string, options: { password?: string; deviceToken?: string; from: string }) =>
  call<{ token: string; deviceToken: string }>('POST', '/v1/auth/sign-in', {
    body: { identifier: identifierOf(uid), password: options.password ?? password, ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}) },
    from: options.from,
  });
const statuses = (answers: Answer[]) => answers.reduce<Record<number, number>>((counts, { status }) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
const wrongGuesses = (uid: string, count: number, from: () => string) => Promise.all(Array.from({ length: count }, (_, index) => signInAs(uid, { password: `guess number ${index}`, from: from() })));

beforeAll(async () => {
  tenant = await newTenant('bruteforce');
  await switchSignInWithoutEmail(tenant, true);
  const people = await invite(
    tenant,
    ['Owner1', 'Owner2', 'Owner3', 'Owner4', 'Owner5', 'Owner6', 'Owner7'].map((uid) => ({ uid, role: 'member' })),
  );
  for (const person of people) await signUp(person.accessCode, password);
});

beforeEach(() => inOneThrottleWindow(60));

describe('limits hold under concurrency: N requests at once count as N', () => {
  it('60 guesses at once on one identifier: at most 10 wrong ones are checked, the rest refused before any check', async () => {
    const attacker = otherAddress();
    const guesses = Array.from({ length: 60 }, (_, index) => signInAs('Owner1', { password: index === 59 ? password : `guess ${index}`, from: attacker }));
    const answers = await Promise.all(guesses);
    const counts = statuses(answers);
    // At most 10 wrong passwords are checked; a right one gives its attempt back, which one more guess may then take.
    expect(counts[401] ?? 0).toBeLessThanOrEqual(10);
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeGreaterThanOrEqual(10);
    expect((counts[401] ?? 0) + (counts[200] ?? 0)).toBeLessThanOrEqual(11);
    expect((counts[429] ?? 0) + (counts[401] ?? 0) + (counts[200] ?? 0)).toBe(60);
    for (const refused of answers.filter((answer) => answer.status === 429)) expectProblem(refused, 429, 'too_many_attempts');
  });

  it('300 wrong codes at once from one address: 20 are checked, 280 refused', async () => {
    const guesser = otherAddress();
    const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
    const code = (index: number) => `ZZZZ-ZZZZ-ZZZZ-Z${alphabet[index % alphabet.length]}${alphabet[Math.floor(index / alphabet.length) % alphabet.length]}${alphabet[index % 7]}`;
    const answers = await Promise.all(Array.from({ length: 300 }, (_, index) => call('POST', '/v1/sign-up/verify', { body: { accessCode: code(index) }, from: guesser })));
    expect(statuses(answers)).toEqual({ 400: 20, 429: 280 });
  });

  it('200 wrong operator keys at once from one address: 20 are checked, 180 refused; the right key from elsewhere still works', async () => {
    const attacker = otherAddress();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => call('POST', '/v1/tenants', { headers: { 'x-operator-key': `wrong operator key ${index}` }, body: {}, from: attacker })),
    );
    expect(statuses(answers)).toEqual({ 401: 20, 429: 180 });
    expectProblem(answers.find((answer) => answer.status === 429)!, 429, 'too_many_attempts');
    const meanwhile = await call('POST', '/v1/tenants', { operator: true, body: {}, from: otherAddress() });
    expectProblem(meanwhile, 400, 'validation_failed');
  });

  it('a correct sign-in gives its attempt back: 9 at once from one address all succeed, and failures still count from zero', async () => {
    const office = otherAddress();
    const answers = await Promise.all(Array.from({ length: 9 }, () => signInAs('Owner2', { from: office })));
    expect(statuses(answers)).toEqual({ 200: 9 });
    const failures = await wrongGuesses('Owner2', 10, () => office);
    expect(statuses(failures)).toEqual({ 401: 10 });
    expectProblem(await signInAs('Owner2', { from: office }), 429, 'too_many_attempts');
  });
});

describe('no victim lockout: a device token of the user is not held back by other clients', () => {
  const attacker = '127.0.0.2';
  const owner = '127.0.0.3';

  it('the owner signs in from their device while an attacker on another address has locked the identifier', async () => {
    const first = await signInAs('Owner3', { from: owner });
    expect(first.status).toBe(200);
    expect(first.body.deviceToken).toMatch(/^dv1\.[A-Za-z0-9_-]{43}$/);

    const guesses = await wrongGuesses('Owner3', 15, () => attacker);
    expect(statuses(guesses)).toEqual({ 401: 10, 429: 5 });
    // An unknown client (another address, no device token) is held back, even with the right password ...
    expectProblem(await signInAs('Owner3', { from: '127.0.0.4' }), 429, 'too_many_attempts');
    // ... and so is the owner's own address without the token.
    expectProblem(await signInAs('Owner3', { from: owner }), 429, 'too_many_attempts');
    // With the device token, the owner is in, and keeps the same token.
    const again = await signInAs('Owner3', { deviceToken: first.body.deviceToken, from: owner });
    expect(again.status).toBe(200);
    expect(again.body.deviceToken).toBe(first.body.deviceToken);
    // The attacker stays locked out.
    expectProblem(await signInAs('Owner3', { password: 'one more guess', from: attacker }), 429, 'too_many_attempts');
  });

  it("a device token is the user's own: another user's token, a made-up one or one sent from the attacker's address with wrong passwords count as the device's own failures", async () => {
    const mine = (await signInAs('Owner4', { from: owner })).body.deviceToken;
    const someoneElses = (await signInAs('Owner5', { from: otherAddress() })).body.deviceToken;
    expect(statuses(await wrongGuesses('Owner4', 12, () => attacker))).toEqual({ 401: 10, 429: 2 });
    expectProblem(await signInAs('Owner4', { deviceToken: someoneElses, from: owner }), 429, 'too_many_attempts');
    expectProblem(await signInAs('Owner4', { deviceToken: `dv1.${'A'.repeat(43)}`, from: owner }), 429, 'too_many_attempts');
    // A stolen device token with wrong passwords: 10 failures, then that token is held back too (it counts its own failures).
    const withStolenToken = await Promise.all(Array.from({ length: 12 }, (_, index) => signInAs('Owner4', { password: `stolen ${index}`, deviceToken: mine, from: attacker })));
    expect(statuses(withStolenToken)).toEqual({ 401: 10, 429: 2 });
    expectProblem(await signInAs('Owner4', { deviceToken: mine, from: owner }), 429, 'too_many_attempts');
  });

  it('unknown clients meet a hard stop after 100 consecutive failures, across windows; a sign-in from the device ends it', async () => {
    const first = await signInAs('Owner5', { from: owner });
    // 99 failures in earlier windows, as an attacker at the per-window limit would leave them after ten windows.
    const consecutive = keys.throttle(counters.signInConsecutive(identifierOf('Owner5')).name, 'SEQ');
    await db.send(new PutCommand({ TableName: 'emailless', Item: { ...consecutive, count: 99, ttl: Math.floor(Date.now() / 1000) + 86_400 } }));
    expectProblem(await signInAs('Owner5', { password: 'guess 100', from: attacker }), 401, 'invalid_credentials');
    expectProblem(await signInAs('Owner5', { password: 'guess 101', from: otherAddress() }), 429, 'too_many_attempts');
    expectProblem(await signInAs('Owner5', { from: otherAddress() }), 429, 'too_many_attempts');
    expect((await signInAs('Owner5', { deviceToken: first.body.deviceToken, from: owner })).status).toBe(200);
    // The run of failures is over: an unknown client with the right password is let in again.
    expect((await signInAs('Owner5', { from: otherAddress() })).status).toBe(200);
  });

  it("wrong passwords never push a real device token out, even for a user who keeps the most devices", async () => {
    const oldest = (await signInAs('Owner6', { from: owner })).body.deviceToken;
    for (let index = 0; index < 19; index++) expect((await signInAs('Owner6', { from: otherAddress() })).status).toBe(200);
    // The user now keeps 20 device tokens, the first the oldest; an attacker's failures must not touch them.
    expect(statuses(await wrongGuesses('Owner6', 12, () => attacker))).toEqual({ 401: 10, 429: 2 });
    expect((await signInAs('Owner6', { deviceToken: oldest, from: owner })).status).toBe(200);
  });

  it('a new password forgets every device token: a stolen one stops working', async () => {
    const stolen = (await signInAs('Owner7', { from: owner })).body.deviceToken;
    const [user] = (await call<{ items: { id: string; signInIdentifier: string }[] }>('GET', `/v1/admin/users?q=owner7`, { token: tenant.admin.token })).body.items;
    expect((await call('PUT', `/v1/admin/users/${user!.id}/password`, { token: tenant.admin.token, body: { password: password, temporary: false } })).status).toBe(204);
    // The reset also starts the identifier's limits afresh: ten wrong guesses are checked again.
    expect(statuses(await wrongGuesses('Owner7', 10, () => attacker))).toEqual({ 401: 10 });
    expectProblem(await signInAs('Owner7', { deviceToken: stolen, from: owner }), 429, 'too_many_attempts');
  });
});
