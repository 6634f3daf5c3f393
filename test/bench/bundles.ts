import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleHandlers } from '../../infra/local/bundle';
import { fallbackRoute, routeList } from '../../shared/api/routes';
import { workerList } from '../../infra/workers';

export interface BundleFigure {
  name: string;
  /** A printer is a route that makes a PDF in its request (the reset letter): held to the workers' budget, as it carries the same PDF code. */
  kind: 'api' | 'printer' | 'worker';
  kb: number;
  coldLoadMs: number;
}

/**
 * Bundles every function as the CDK stack does (minified, the AWS SDK inside) and times a cold
 * require of each bundle in a fresh Node.js process, with the configuration it needs.
 */
export async function measureBundles(): Promise<BundleFigure[]> {
  const outdir = mkdtempSync(join(tmpdir(), 'emailless-bench-bundles-'));
  const entries = [
    ...routeList.map((route) => ({ name: route.name, kind: route.needs.publicUrl ? ('printer' as const) : ('api' as const), file: route.handler })),
    { name: 'noRoute', kind: 'api' as const, file: fallbackRoute.handler },
    ...workerList.map((worker) => ({ name: worker.name, kind: 'worker' as const, file: worker.handler })),
  ];
  const built = await bundleHandlers(
    entries.map((entry) => entry.file),
    { minified: true, outdir },
  );
  const env = { ...process.env, TABLE_NAME: 'bench', OPERATOR_KEY: 'bench-operator-key-0123', CODE_KEY: 'bench-code-key-0123456', LOG_LEVEL: 'silent' };
  return entries.map((entry) => {
    const bundle = built.get(entry.file)!;
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    // Run outside the repository, so that nothing can resolve from its node_modules: the bundle must carry all it needs.
    const coldLoadMs = Number(execFileSync(process.execPath, ['-e', script], { env, cwd: outdir }).toString());
    return { name: entry.name, kind: entry.kind, kb: Math.round(statSync(bundle).size / 1024), coldLoadMs: Math.round(coldLoadMs) };
  });
}
