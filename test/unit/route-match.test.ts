import { routeList } from '../../shared/api/routes';
import { matchRoute } from '../../shared/http/route-match';

const table = [
  { method: 'GET', path: '/v1/admin/groups' },
  { method: 'POST', path: '/v1/admin/groups' },
  { method: 'PATCH', path: '/v1/admin/groups/{groupId}' },
  { method: 'GET', path: '/v1/admin/invitations/{id}/access-code' },
] as const;

describe('matchRoute', () => {
  it('finds a route and its path parameters', () => {
    expect(matchRoute(table, 'patch', '/v1/admin/groups/g1')).toEqual({ route: table[2], pathParameters: { groupId: 'g1' } });
    expect(matchRoute(table, 'GET', '/v1/admin/invitations/a%20b/access-code')).toMatchObject({ pathParameters: { id: 'a b' } });
  });

  it('names the allowed methods of a known path', () => {
    expect(matchRoute(table, 'DELETE', '/v1/admin/groups')).toEqual({ allowedMethods: ['GET', 'POST'] });
  });

  it('matches no partial path, and survives a bad escape', () => {
    expect(matchRoute(table, 'GET', '/v1/admin/groups/x/y')).toEqual({ allowedMethods: [] });
    expect(matchRoute(table, 'GET', '/v1/admin/groupsx')).toEqual({ allowedMethods: [] });
    expect(matchRoute(table, 'PATCH', '/v1/admin/groups/%E0%A4%A')).toMatchObject({ pathParameters: { groupId: '%E0%A4%A' } });
  });

  it('the route table has no two entries for one method and path, and every handler file is distinct', () => {
    const keys = routeList.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(routeList.map((route) => route.handler)).size).toBe(routeList.length);
  });
});
