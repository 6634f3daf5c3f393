import type { RouteSpec } from '../api/route-spec';

export type RouteMatch<R> = { route: R; pathParameters: Record<string, string> } | { route?: undefined; allowedMethods: string[] };

function compile(path: string): RegExp {
  const pattern = path
    .split('/')
    .map((segment) => (/^\{[A-Za-z0-9_]+\}$/.test(segment) ? `(?<${segment.slice(1, -1)}>[^/]+)` : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the route for a method and path the way API Gateway does, or the methods the path allows. */
export function matchRoute<R extends Pick<RouteSpec, 'method' | 'path'>>(routes: readonly R[], method: string, path: string): RouteMatch<R> {
  const allowedMethods: string[] = [];
  let best: { route: R; pathParameters: Record<string, string>; parameterCount: number } | undefined;
  for (const route of routes) {
    const match = compile(route.path).exec(path);
    if (!match) continue;
    if (route.method !== method.toUpperCase()) {
      allowedMethods.push(route.method);
      continue;
    }
    const pathParameters = Object.fromEntries(Object.entries(match.groups ?? {}).map(([name, value]) => [name, decodeSegment(value)]));
    const parameterCount = Object.keys(pathParameters).length;
    // Like API Gateway: a literal segment wins over a {parameter}.
    if (!best || parameterCount < best.parameterCount) best = { route, pathParameters, parameterCount };
  }
  return best ? { route: best.route, pathParameters: best.pathParameters } : { allowedMethods: [...new Set(allowedMethods)] };
}
