import { keys } from '../../shared/db/keys';
import { routeList } from '../../shared/api/routes';
import { maxJsonBodyBytes } from '../../shared/http/parse';
import { call, expectProblem, getItem, uniqueSuffix } from './support';

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
