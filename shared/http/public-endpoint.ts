import { endpointWith } from './endpoint-core';
import type { RouteSpec } from '../api/route-spec';

/**
 * The handler builder for public routes that touch no data (pages, the OpenAPI document):
 * the same chain as `endpoint`, without the session and operator-key code, so that their
 * bundles stay small and carry no AWS SDK.
 */
export const publicEndpoint = endpointWith(async (route: RouteSpec) => {
  if (route.access !== 'public') throw new Error(`${route.method} ${route.path} is not public: use endpoint()`);
  return undefined;
});
