import { createServer, type Server } from 'node:http';
import type { LambdaHandler } from './gateway';
import { invokeAsync, type AsyncInvokeOptions } from './invoker';

export interface LocalLambdaApi {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * The part of the Lambda API that functions call locally: Invoke with InvocationType
 * "Event" (POST /2015-03-31/functions/{name}/invocations), answered 202 and run in the
 * background as Lambda would. The SDK's LambdaClient points here through LAMBDA_ENDPOINT.
 * Listens on 127.0.0.1, on `options.port` (a free one when 0 or unset).
 */
export async function startLambdaApi(functions: Map<string, { handler: LambdaHandler; timeoutSeconds: number }>, options: AsyncInvokeOptions & { port?: number }): Promise<LocalLambdaApi> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(request.url?.split('?')[0] ?? '');
      const target = match ? functions.get(decodeURIComponent(match[1]!)) : undefined;
      if (request.method !== 'POST' || !target) {
        response.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        response.end(JSON.stringify({ message: 'Function not found' }));
        return;
      }
      if (request.headers['x-amz-invocation-type'] !== 'Event') {
        response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidParameterValueException' });
        response.end(JSON.stringify({ message: 'The local stack runs Event invocations only' }));
        return;
      }
      const payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
      invokeAsync(match![1]!, target.handler, payload, options, target.timeoutSeconds * 1000);
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
