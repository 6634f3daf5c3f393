import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { bundleHandlers } from '../../infra/local/bundle';
import { routeList } from '../../shared/api/routes';
import { EmaillessStack } from '../../infra/stack';
import { functionEnvironment } from './function-environment';

type Resource = { Type: string; Properties: Record<string, unknown> };

const root = resolve(__dirname, '..', '..');
const pageRoutes = routeList.filter((route) => route.response.contentType?.startsWith('text/html'));
const lambdaEnvironment = functionEnvironment;

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new EmaillessStack(app, 'Emailless'));

function functionFor(route: { method: string; path: string }): [string, Resource] {
  const found = Object.entries(template.findResources('AWS::Lambda::Function', { Properties: { Description: `${route.method} ${route.path}` } }));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

function allowedActions(functionId: string): string[] {
  const fn = template.findResources('AWS::Lambda::Function')[functionId] as Resource;
  const [roleId] = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }))
    .flatMap((policy) => (policy as Resource).Properties.PolicyDocument as { Statement: { Action: string | string[] }[] })
    .flatMap((document) => document.Statement)
    .flatMap((statement) => [statement.Action].flat());
}

describe.each(pageRoutes.map((route) => [route.path, route]))('the %s page function', (_path, route) => {
  test('may only write its logs and traces, and knows no table or secret', () => {
    const [functionId, fn] = functionFor(route);
    expect([...new Set(allowedActions(functionId))].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(variables).sort()).toEqual([...Object.keys(lambdaEnvironment), ...(route.needs.uploadOrigin ? ['UPLOAD_ORIGIN'] : [])].sort());
  });
});

test('the admin page learns the bucket\'s origin, for its Content-Security-Policy', () => {
  const [, fn] = functionFor({ method: 'GET', path: '/admin' });
  const [bucketId] = Object.keys(template.findResources('AWS::S3::Bucket', { Properties: { CorsConfiguration: {} } }));
  const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  expect(variables.UPLOAD_ORIGIN).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] }]] });
});

describe('page bundles, built as the stack builds them', () => {
  const outdir = resolve(root, 'node_modules', '.cache', 'emailless-page-bundles');
  let bundles: Map<string, string>;

  beforeAll(async () => {
    const built = await bundleHandlers(
      pageRoutes.map((route) => route.handler),
      { minified: true, outdir },
    );
    bundles = new Map(pageRoutes.map((route) => [route.path, built.get(route.handler)!]));
  });

  /** Runs a bundle in a fresh Node process with only the environment the stack gives it. */
  function invoke(bundle: string, path: string, environment: Record<string, string>): { statusCode: number; headers: Record<string, string>; body: string } {
    // The answer on a line of its own after the function's output (its ApiLatency metric line).
    const script = `require(${JSON.stringify(bundle)}).handler({ version: '2.0', rawPath: ${JSON.stringify(path)}, headers: { 'accept-language': 'fr-FR' }, requestContext: { requestId: 'r1', http: { method: 'GET', path: ${JSON.stringify(path)}, sourceIp: '192.0.2.1' } } }, {}).then((result) => process.stdout.write('\\n' + JSON.stringify(result)))`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: root, env: { PATH: process.env.PATH ?? '', ...environment }, encoding: 'utf8' });
    // A failed cold start prints the minified bundle too; keep only the error's own line.
    if (run.status !== 0) throw new Error(`the function failed: ${/^\w*Error: .*$/m.exec(run.stderr)?.[0]?.slice(0, 300) ?? `exit ${run.status}`}`);
    const lines = run.stdout.split('\n');
    const latency = lines.filter((line) => line.includes('"ApiLatency"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(latency).toEqual([expect.objectContaining({ ApiLatency: expect.any(Number), routeGroup: 'pages', service: lambdaEnvironment.POWERTOOLS_SERVICE_NAME, requestId: 'r1' })]);
    return JSON.parse(lines.at(-1)!) as { statusCode: number; headers: Record<string, string>; body: string };
  }

  test.each(pageRoutes.map((route) => [route.path]))('%s stays small and starts with the function\'s environment alone', (path) => {
    const bundle = bundles.get(path)!;
    expect(statSync(bundle).size).toBeLessThan(320 * 1024);
    // No AWS client, so no tracer (aws-xray-sdk-core): Powertools adds the logger and metrics alone.
    expect(readFileSync(bundle, 'utf8')).not.toContain('captureAWSv3Client');
    const environment = { ...lambdaEnvironment, LOG_LEVEL: 'silent', ...(path === '/admin' ? { UPLOAD_ORIGIN: 'https://files-bucket.s3.eu-west-3.amazonaws.com' } : {}) };
    const result = invoke(bundle, path, environment);
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'content-language': 'fr', 'x-request-id': 'r1' });
    expect(result.body).toContain('<html lang="fr">');
    const connect = /connect-src ([^;]*)/.exec(result.headers['content-security-policy']!)![1];
    expect(connect).toBe(path === '/admin' ? "'self' https://files-bucket.s3.eu-west-3.amazonaws.com" : "'self'");
  });
});
