import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routeList } from '../../shared/api/routes';
import { matchRoute } from '../../shared/http/route-match';
import { problemResult } from '../../shared/http/problems';
import { pickLanguage } from '../../shared/core/languages';

/** API Gateway's $default route: an unknown path or a wrong method, as a problem document. */
export const handler = async (event: APIGatewayProxyEventV2) => {
  const { method, path } = event.requestContext.http;
  const match = matchRoute(routeList, method, path);
  const language = pickLanguage(event.headers?.['accept-language']);
  const { requestId } = event.requestContext;
  if (match.route === undefined && match.allowedMethods.length > 0) {
    const allow = match.allowedMethods.join(', ');
    const detail = { en: `${method} is not allowed on ${path}; use ${allow}.`, fr: `${method} n’est pas autorisé sur ${path} ; utilisez ${allow}.` };
    return problemResult('method_not_allowed', detail, { headers: { 'x-request-id': requestId, allow }, requestId }, language);
  }
  const detail = { en: `There is no route ${method} ${path}. See GET /v1/openapi.json.`, fr: `Il n’y a pas de route ${method} ${path}. Voir GET /v1/openapi.json.` };
  return problemResult('route_not_found', detail, { headers: { 'x-request-id': requestId }, requestId }, language);
};
