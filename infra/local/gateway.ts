import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { fallbackRoute, routeList } from '../../shared/api/routes';
import { matchRoute } from '../../shared/http/route-match';
import { bundleHandlers } from './bundle';

/** API Gateway's own limit on a request's payload. */
const maxPayloadBytes = 10 * 1024 * 1024;

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

interface LambdaResult {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** Loads handler files the way Lambda would: bundled, then their exported `handler`. */
export async function loadHandlers(files: string[]): Promise<Map<string, LambdaHandler>> {
  const bundles = await bundleHandlers(files);
  return new Map(
    files.map((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(bundles.get(file)!) as { handler?: LambdaHandler };
      if (typeof module.handler !== 'function') throw new Error(`${file} exports no handler`);
      return [file, module.handler];
    }),
  );
}

export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const textContentType = /^(application\/(json|problem\+json|xml|x-www-form-urlencoded)|text\/)/i;

function readBody(request: IncomingMessage): Promise<Buffer | 'too_large'> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxPayloadBytes) chunks.push(chunk);
    });
    request.on('end', () => resolvePromise(size > maxPayloadBytes ? 'too_large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Builds the HTTP API (payload format 2.0) event that API Gateway would send. */
function toEvent(request: IncomingMessage, body: Buffer, routeKey: string, pathParameters: Record<string, string> | undefined): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const asText = body.length === 0 || (textContentType.test(headers['content-type'] ?? '') && isValidUtf8(body));
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(pathParameters && Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: request.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !asText,
  };
}

function send(response: ServerResponse, result: LambdaResult): void {
  const body = result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, { ...result.headers, ...(body ? { 'content-length': String(body.length) } : {}) });
  response.end(body);
}

export interface Gateway {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** The local stand-in for API Gateway: the same route table, the same handlers, the same events. */
export async function startGateway(options: {
  port: number;
  host?: string;
  handlers: Map<string, LambdaHandler>;
  testControls?: boolean;
  /** Where else the fault switches must reach: the workers' own processes. */
  onFaults?: (patch: Record<string, unknown>) => void;
}): Promise<Gateway> {
  const { handlers } = options;
  const fallback = handlers.get(fallbackRoute.handler)!;

  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      if (options.testControls && request.url === '/__local/faults' && request.method === 'POST' && body !== 'too_large') {
        // Test stack only: switch injected faults on or off (see shared/faults.ts), here and in the workers' processes.
        const patch = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        Object.assign((globalThis as { emaillessFaults?: object }).emaillessFaults ?? {}, patch);
        options.onFaults?.(patch);
        send(response, { statusCode: 204 });
        return;
      }
      if (body === 'too_large') {
        send(response, { statusCode: 413, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
        return;
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const match = matchRoute(routeList, request.method ?? 'GET', path);
      const routeKey = match.route ? `${match.route.method} ${match.route.path}` : '$default';
      const event = toEvent(request, body, routeKey, match.route ? match.pathParameters : undefined);
      const handler = match.route ? handlers.get(match.route.handler)! : fallback;
      const result = (await handler(event, lambdaContext(match.route?.name ?? 'no-route'))) as LambdaResult;
      send(response, result);
    } catch (error) {
      // What API Gateway answers when a function fails outright.
      process.stderr.write(`gateway: function failed: ${(error as Error).name}\n`);
      send(response, { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal Server Error' }) });
    }
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', resolvePromise);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
}
