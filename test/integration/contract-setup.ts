import { assertContract, isApiUrl } from '../support/openapi-contract';

/**
 * Every answer the integration tests get through fetch is checked against the OpenAPI document,
 * as call() (support.ts) checks its own: a departure fails the request, so the test that made it
 * fails. A redirect of the API is checked as it is answered, then followed as fetch would.
 */
const fetchAsIs = globalThis.fetch;

globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (!isApiUrl(url)) return fetchAsIs(request);
  const follow = request.redirect === 'follow';
  const response = await fetchAsIs(request, { redirect: 'manual' });
  const body = new Uint8Array(await response.clone().arrayBuffer());
  assertContract({ method: request.method, url: url.href, status: response.status, headers: response.headers, body });
  const location = response.headers.get('location');
  if (!follow || !location || response.status < 300 || response.status > 399) return response;
  // Only the API's 303 See Other is followed here; it leads to S3, another origin, which gets none of the request's headers.
  return globalThis.fetch(new URL(location, url));
};
