import { readFileSync } from 'node:fs';
import { bundleHandlers } from '../../infra/local/bundle';
import { lambdaBundling } from '../../infra/bundling';
import { routes } from '../../shared/api/routes';

/**
 * The functions carry the AWS SDK at the version the tests ran against: nothing is left to
 * the Lambda runtime's own, unpinned copy. (The stack test skips bundling; this bundles one
 * function as the CDK stack and the local stack both do.)
 */
test('no module is left out of the bundles', () => {
  expect(lambdaBundling.externalModules).toEqual([]);
});

test('a function bundle carries the SDK and requires none of it at run time', async () => {
  const built = await bundleHandlers([routes.getExport.handler], { minified: true, outdir: `${__dirname}/../../node_modules/.cache/emailless-bundling-test` });
  const code = readFileSync(built.get(routes.getExport.handler)!, 'utf8');
  // The one SDK require left is the optional CRT signer (SigV4a), which the SDK loads inside a try and we never use.
  const sdkRequires = new Set([...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((match) => match[1]));
  expect([...sdkRequires]).toEqual(sdkRequires.size > 0 ? ['@aws-sdk/signature-v4-crt'] : []);
  expect(code).toContain('dynamodb');
  expect(code).toContain('TransactionCanceledException');
  // Powertools: the logger, the metrics and the tracer that wraps the SDK clients, within the API budget (test/bench/run.ts).
  expect(code).toContain('captureAWSv3Client');
  expect(code).toContain('CloudWatchMetrics');
  expect(code.length).toBeLessThanOrEqual(1024 * 1024);
}, 120_000);

test('only the route that prints a reset letter carries the PDF code; the reset-code routes keep to the API budget', async () => {
  const reset = [routes.resetPassword, routes.verifyResetCode, routes.issueResetCode];
  const built = await bundleHandlers([...reset.map((route) => route.handler), routes.issueResetLetter.handler], { minified: true, outdir: `${__dirname}/../../node_modules/.cache/emailless-bundling-test` });
  const carriesPdfKit = (handler: string) => readFileSync(built.get(handler)!, 'utf8').includes('PDFDocument');
  for (const route of reset) {
    expect(carriesPdfKit(route.handler)).toBe(false);
    expect(readFileSync(built.get(route.handler)!, 'utf8').length).toBeLessThanOrEqual(1024 * 1024);
  }
  expect(carriesPdfKit(routes.issueResetLetter.handler)).toBe(true);
}, 180_000);
