import { createServer } from 'node:net';

/** A port that was free a moment ago, for a service that cannot bind to port 0 itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Fails with a clear message when a port is in use on any interface, before a service is
 * started there (DynamoDB Local would otherwise exit without saying why, or we would talk
 * to whatever already listens).
 */
export async function assertPortFree(port: number, service: string): Promise<void> {
  // Node listens with SO_REUSEADDR: a wildcard listen succeeds beside a 127.0.0.1 one, so both are tried.
  for (const host of ['127.0.0.1', undefined]) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(`${service} cannot listen on port ${port}: ${error.code ?? error.message} (the local stack uses PORT and the next three ports)`)));
      server.listen(port, host, () => server.close(() => resolve()));
    });
  }
}

/**
 * The local stack's ports, derived from PORT so that they stay the same across restarts
 * (a presigned upload URL names s3rver's port). PORT=0 (the tests) takes free ports.
 */
export function stackPorts(port: number): { gateway: number; dynamoDb: number; s3: number; lambdaApi: number } {
  if (port === 0) return { gateway: 0, dynamoDb: 0, s3: 0, lambdaApi: 0 };
  return { gateway: port, dynamoDb: port + 1, s3: port + 2, lambdaApi: port + 3 };
}

export async function waitFor<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not come up in ${timeoutMs} ms: ${String(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
