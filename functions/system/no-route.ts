import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routeList } from '../../shared/api/routes';
import { matchRoute } from '../../shared/http/route-match';
import { problemResult } from '../../shared/http/problems';

/** API Gateway's $default route: an unknown path or a wrong method, as a problem document. */
export const handler = async (event: APIGatewayProxyEventV2) => {
  const { method, path } = event.requestContext.http;
  const match = matchRoute(routeList, method, path);
  const requestId = { headers: { 'x-request-id': event.requestContext.requestId } };
  if (match.route === undefined && match.allowedMethods.length > 0) {
    const allow = match.allowedMethods.join(', ');
    return problemResult('method_not_allowed', `${method} is not allowed on ${path}; use ${allow}.`, { headers: { ...requestId.headers, allow } });
  }
  return problemResult('route_not_found', `There is no route ${method} ${path}. See GET /v1/openapi.json.`, requestId);
};
