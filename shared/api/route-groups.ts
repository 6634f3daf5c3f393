/**
 * A route's group for latency graphs and metrics: `admin-<area>` for /v1/admin/<area>/…,
 * `<area>` for other /v1/<area>/… routes (auth, me, sign-up, password-reset, tenants,
 * openapi), `pages` for the web pages. Few enough to graph, fine enough to tell apart.
 */
export function routeGroupOf(path: string): string {
  const [, version, area, sub] = path.split('/');
  if (version !== 'v1' || !area) return 'pages';
  if (area === 'admin') return `admin-${sub ?? 'root'}`;
  return area.replace(/\.json$/, '');
}
