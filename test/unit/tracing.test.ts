import { S3Client } from '@aws-sdk/client-s3';

/**
 * The SDK clients carry the X-Ray middleware only where Powertools says tracing is on: inside
 * Lambda (AWS_EXECUTION_ENV) and not switched off by POWERTOOLS_TRACE_ENABLED.
 */
function tracedWith(env: Record<string, string | undefined>): string[] {
  const saved = { ...process.env };
  let names: string[] = [];
  try {
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    jest.isolateModules(() => {
      const { traced } = jest.requireActual<typeof import('../../shared/aws/tracing')>('../../shared/aws/tracing');
      const client = traced(new S3Client({ region: 'eu-west-3' }));
      names = client.middlewareStack.identify();
    });
  } finally {
    process.env = saved;
  }
  return names;
}

const xray = (names: string[]) => names.filter((name) => /xray/i.test(name));

describe('tracing of the SDK clients', () => {
  it('is off outside Lambda (the local stack, the tests): no X-Ray middleware', () => {
    expect(xray(tracedWith({ AWS_EXECUTION_ENV: undefined, POWERTOOLS_TRACE_ENABLED: undefined }))).toEqual([]);
  });

  it('is on inside Lambda', () => {
    expect(xray(tracedWith({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'true', AWS_SAM_LOCAL: undefined }))).toHaveLength(1);
  });

  it('POWERTOOLS_TRACE_ENABLED=false turns it off inside Lambda too', () => {
    expect(xray(tracedWith({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' }))).toEqual([]);
  });
});
