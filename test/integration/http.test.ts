import { keys } from '../../shared/db/keys';
import { routeList } from '../../shared/api/routes';
import { maxJsonBodyBytes } from '../../shared/http/parse';
import { call, expectProblem, getItem, invite, newTenant, switchSignInWithoutEmail, uniqueSuffix } from './support';

const tenantBody = () => {
  const suffix = uniqueSuffix();
  return { name: 'Http', domain: `http-${suffix}.example`, admin: { email: `a@http-${suffix}.example`, password: 'long enough pw' } };
};

describe('HTTP behaviour shared by every route', () => {
  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await call('GET', '/v1/no-such-thing'), 404, 'route_not_found');
    expectProblem(await call('GET', '/'), 404, 'route_not_found');
  });

  it('answers a known path with a wrong method with 405 and Allow', async () => {
    const answer = await call('DELETE', '/v1/admin/settings');
    expectProblem(answer, 405, 'method_not_allowed');
    expect(answer.headers.get('allow')).toBe('GET, PATCH');
  });

  it('refuses malformed JSON, a wrong content type, a missing body and an oversized one, creating nothing', async () => {
    const body = tenantBody();
    const json = JSON.stringify(body);
    const headers = { 'x-operator-key': process.env.EMAILLESS_OPERATOR_KEY! };
    expectProblem(await call('POST', '/v1/tenants', { headers: { ...headers, 'content-type': 'application/json' }, rawBody: `${json.slice(0, -1)}` }), 400, 'malformed_json');
    expectProblem(await call('POST', '/v1/tenants', { headers: { ...headers, 'content-type': 'text/plain' }, rawBody: json }), 415, 'unsupported_media_type');
    expectProblem(await call('POST', '/v1/tenants', { headers }), 415, 'unsupported_media_type');
    expectProblem(await call('POST', '/v1/tenants', { headers: { ...headers, 'content-type': 'application/json' } }), 400, 'validation_failed');
    const padded = JSON.stringify({ ...body, name: 'x'.repeat(maxJsonBodyBytes) });
    expectProblem(await call('POST', '/v1/tenants', { headers: { ...headers, 'content-type': 'application/json' }, rawBody: padded }), 413, 'payload_too_large');
    expectProblem(
      await call('POST', '/v1/tenants', { headers: { ...headers, 'content-type': 'application/json' }, rawBody: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
      400,
      'malformed_json',
    );
    expect(await getItem(keys.domainClaim(body.domain))).toBeUndefined();
  });

  it('accepts application/json with a charset', async () => {
    const answer = await call('POST', '/v1/tenants', {
      headers: { 'x-operator-key': process.env.EMAILLESS_OPERATOR_KEY!, 'content-type': 'application/json; charset=utf-8' },
      rawBody: JSON.stringify(tenantBody()),
    });
    expect(answer.status).toBe(201);
  });

  it('puts a request id on every answer, and a no-store cache header', async () => {
    const answers = [await call('GET', '/v1/openapi.json'), await call('GET', '/v1/me'), await call('GET', '/nowhere')];
    for (const answer of answers) expect(answer.headers.get('x-request-id')).toMatch(/.{8,}/);
    expect(answers[0]!.headers.get('cache-control')).toBe('no-store');
    expect(new Set(answers.map((answer) => answer.headers.get('x-request-id'))).size).toBe(3);
  });

  it('ignores __proto__ tricks in bodies', async () => {
    const raw = `{"name":"Proto","domain":"proto-${uniqueSuffix()}.example","admin":{"email":"a@proto.example","password":"long enough pw"},"__proto__":{"admin":true}}`;
    const answer = await call('POST', '/v1/tenants', { operator: true, headers: { 'content-type': 'application/json' }, rawBody: raw });
    expectProblem(answer, 400, 'validation_failed');
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

describe('problems in the reader\'s language', () => {
  const french = { 'accept-language': 'fr-CA, en;q=0.5' };

  it('answers title and detail in French to a French reader, English otherwise, with the same code and fields', async () => {
    const tenant = await newTenant('problems-fr');
    await switchSignInWithoutEmail(tenant, true);
    const uid = `P${uniqueSuffix()}`;
    await invite(tenant, [{ uid, role: 'member' }]);
    const again = (headers: Record<string, string>) => call('POST', '/v1/admin/invitations', { token: tenant.admin.token, body: { invitations: [{ uid, role: 'member' }] }, headers });
    const inFrench = await again(french);
    expectProblem(inFrench, 409, 'uid_taken');
    expect(inFrench.body).toMatchObject({ title: 'Un uid est déjà utilisé dans cette organisation', detail: `Ces uids sont déjà utilisés : ${uid}.`, uids: [uid] });
    expect(inFrench.headers.get('content-language')).toBe('fr');
    const inEnglish = await again({ 'accept-language': 'de-DE, en;q=0.1' });
    expectProblem(inEnglish, 409, 'uid_taken');
    expect(inEnglish.body).toMatchObject({ title: 'A uid is already in use in this organisation', detail: `These uids are already in use: ${uid}.`, uids: [uid] });
    expect(inEnglish.headers.get('content-language')).toBe('en');
    expect((await again({})).body).toMatchObject({ title: inEnglish.body.title, detail: inEnglish.body.detail });
  });

  it('translates the problems of the access check, of validation and of the gateway itself', async () => {
    const missingToken = await call('GET', '/v1/me', { headers: french });
    expectProblem(missingToken, 401, 'authentication_required');
    expect(missingToken.body).toMatchObject({ title: 'Connectez-vous d’abord' });
    expect(String(missingToken.body.detail)).toContain('Envoyez Authorization');
    const invalid = await call('POST', '/v1/auth/sign-in', { body: { identifier: '' }, headers: french });
    expectProblem(invalid, 400, 'validation_failed');
    expect(invalid.body).toMatchObject({ title: 'La requête n’est pas valide', detail: 'Des champs manquent ou sont faux.' });
    const noRoute = await call('GET', '/v1/no-such-thing', { headers: french });
    expectProblem(noRoute, 404, 'route_not_found');
    expect(noRoute.body).toMatchObject({ title: 'Cette route n’existe pas' });
    const wrongMethod = await call('DELETE', '/v1/admin/settings', { headers: french });
    expectProblem(wrongMethod, 405, 'method_not_allowed');
    expect(String(wrongMethod.body.detail)).toContain('utilisez GET, PATCH');
  });
});

describe('GET /v1/openapi.json', () => {
  it('documents every route of the route table, with its error codes', async () => {
    const answer = await call<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>('GET', '/v1/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    for (const route of routeList) {
      const operation = answer.body.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation).toBeDefined();
      expect(Object.keys(operation!.responses)).toContain(String(route.response.status));
    }
    expect(JSON.stringify(answer.body.paths['/v1/tenants'])).toContain('domain_taken');
  });
});

describe('text that UTF-8 cannot carry', () => {
  it('refuses a lone surrogate in any field, creating nothing', async () => {
    const suffix = uniqueSuffix();
    const raw = `{"name":"Bad \\ud800 name","domain":"surrogate-${suffix}.example","admin":{"email":"a@surrogate-${suffix}.example","password":"long enough pw"}}`;
    const answer = await call<{ errors: { path: string }[] }>('POST', '/v1/tenants', { operator: true, headers: { 'content-type': 'application/json' }, rawBody: raw });
    expectProblem(answer as never, 400, 'validation_failed');
    expect(answer.body.errors[0]!.path).toBe('name');
    expect(await getItem(keys.domainClaim(`surrogate-${suffix}.example`))).toBeUndefined();
  });

  it('accepts a well-formed pair written as escapes', async () => {
    const suffix = uniqueSuffix();
    const raw = `{"name":"Smile \\ud83d\\ude00","domain":"pair-${suffix}.example","admin":{"email":"a@pair-${suffix}.example","password":"long enough pw"}}`;
    const answer = await call<{ tenant: { name: string } }>('POST', '/v1/tenants', { operator: true, headers: { 'content-type': 'application/json' }, rawBody: raw });
    expect(answer.status).toBe(201);
    expect(answer.body.tenant.name).toBe('Smile 😀');
  });
});
