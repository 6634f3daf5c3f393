import { contractViolations, assertContract, type ObservedAnswer } from '../support/openapi-contract';

const group = { id: 'g1', name: 'Night shift', isDefault: false, createdAt: '2026-12-07T21:00:00.000Z' };
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({
  type: `https://emailless.example/problems/${code}`,
  title: 'A title',
  status,
  detail: 'A detail.',
  code,
  requestId: 'r1',
  ...extra,
});

function answer(method: string, url: string, status: number, body: unknown, headers: Record<string, string> = {}): ObservedAnswer {
  const bytes = body === undefined ? new Uint8Array() : typeof body === 'string' || body instanceof Uint8Array ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  const contentType = body === undefined ? {} : { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' };
  return { method, url, status, headers: new Headers({ 'x-request-id': 'r1', ...contentType, ...headers }), body: bytes };
}

describe('the OpenAPI contract check of the integration tests', () => {
  it('accepts answers as documented: JSON, a problem with its extension, 204, a file, a redirect, an unknown route', () => {
    expect(contractViolations(answer('POST', '/v1/admin/groups', 201, group))).toEqual([]);
    expect(contractViolations(answer('PATCH', '/v1/admin/groups/g1', 200, group))).toEqual([]);
    expect(contractViolations(answer('POST', '/v1/admin/invitations', 409, problem(409, 'uid_taken', { uids: ['a1'] })))).toEqual([]);
    expect(contractViolations(answer('POST', '/v1/auth/sign-in', 429, problem(429, 'too_many_attempts', { retryAfterSeconds: 60 }), { 'retry-after': '60' }))).toEqual([]);
    expect(contractViolations(answer('DELETE', '/v1/admin/groups/g1', 204, undefined))).toEqual([]);
    const xlsx = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': 'attachment; filename="t.xlsx"' };
    expect(contractViolations(answer('GET', '/v1/admin/imports/template?language=fr', 200, Buffer.from('PK'), xlsx))).toEqual([]);
    const link = { downloadUrl: 'http://s3.invalid/report.xlsx', expiresAt: '2026-12-07T21:15:00.000Z' };
    expect(contractViolations(answer('GET', '/v1/admin/imports/i1/report', 303, link, { location: link.downloadUrl }))).toEqual([]);
    expect(contractViolations(answer('GET', '/v1/nothing-here', 404, problem(404, 'route_not_found')))).toEqual([]);
    expect(contractViolations(answer('PUT', '/v1/admin/groups', 405, problem(405, 'method_not_allowed'), { allow: 'GET, POST' }))).toEqual([]);
  });

  it('refuses a body with a field the schema does not have, or without a required one', () => {
    expect(contractViolations(answer('POST', '/v1/admin/groups', 201, { ...group, secret: 'x' }))).toEqual([expect.stringContaining('additionalProperty')]);
    const { name: _name, ...nameless } = group;
    expect(contractViolations(answer('POST', '/v1/admin/groups', 201, nameless))).toEqual([expect.stringContaining("must have required property 'name'")]);
  });

  it('refuses the known departures: uid_taken without uids, 429 without retryAfterSeconds or Retry-After, a problem without requestId', () => {
    expect(contractViolations(answer('POST', '/v1/admin/invitations', 409, problem(409, 'uid_taken'))).join('\n')).toContain("must have required property 'uids'");
    expect(contractViolations(answer('POST', '/v1/auth/sign-in', 429, problem(429, 'too_many_attempts'), { 'retry-after': '60' })).join('\n')).toContain('retryAfterSeconds');
    expect(contractViolations(answer('POST', '/v1/auth/sign-in', 429, problem(429, 'too_many_attempts', { retryAfterSeconds: 60 })))).toEqual(['required header Retry-After is missing']);
    const { requestId: _requestId, ...anonymous } = problem(404, 'not_found');
    expect(contractViolations(answer('GET', '/v1/admin/users/u1', 404, anonymous)).join('\n')).toContain("must have required property 'requestId'");
  });

  it('refuses a problem code the route does not declare at that status', () => {
    expect(contractViolations(answer('POST', '/v1/admin/groups', 409, problem(409, 'last_admin'))).join('\n')).toContain('must be equal to one of the allowed values');
  });

  it('refuses an undeclared status, a wrong content type, a body where none is declared, a missing x-request-id', () => {
    expect(contractViolations(answer('POST', '/v1/admin/groups', 418, problem(418, 'teapot')))).toEqual([expect.stringContaining('status 418 is not declared')]);
    expect(contractViolations(answer('POST', '/v1/admin/groups', 201, group, { 'content-type': 'text/plain' }))).toEqual([expect.stringContaining('content type text/plain is not declared')]);
    expect(contractViolations(answer('DELETE', '/v1/admin/groups/g1', 204, group))).toEqual([expect.stringContaining('no body is declared')]);
    const withoutRequestId = answer('POST', '/v1/admin/groups', 201, group);
    withoutRequestId.headers.delete('x-request-id');
    expect(contractViolations(withoutRequestId)).toEqual(['required header x-request-id is missing']);
  });

  it('refuses a file without Content-Disposition and a redirect without Location', () => {
    const xlsx = { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
    expect(contractViolations(answer('GET', '/v1/admin/imports/template', 200, Buffer.from('PK'), xlsx))).toEqual(['required header Content-Disposition is missing']);
    const link = { downloadUrl: 'http://s3.invalid/report.xlsx', expiresAt: '2026-12-07T21:15:00.000Z' };
    expect(contractViolations(answer('GET', '/v1/admin/imports/i1/report', 303, link))).toEqual(['required header Location is missing']);
  });

  it('holds unknown routes and methods to the documented 404 and 405', () => {
    expect(contractViolations(answer('GET', '/v1/nothing-here', 200, group))).toEqual([expect.stringContaining('status 200 is not declared')]);
    expect(contractViolations(answer('PUT', '/v1/admin/groups', 405, problem(405, 'method_not_allowed')))).toEqual(['required header Allow is missing']);
  });

  it('throws a message naming the route, the status and what differs', () => {
    expect(() => assertContract(answer('PATCH', '/v1/admin/groups/g1', 200, { ...group, secret: 'x' }))).toThrow(/PATCH \/v1\/admin\/groups\/\{groupId\} \(\/v1\/admin\/groups\/g1\) answered 200[\s\S]*additionalProperty/);
  });
});
