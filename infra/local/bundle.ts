import { resolve } from 'node:path';
import { build } from 'esbuild';
import { lambdaBundling } from '../bundling';

export const repositoryRoot = resolve(__dirname, '..', '..');
const outdir = resolve(repositoryRoot, 'node_modules', '.cache', 'emailless-local');

/**
 * Bundles handler files as the CDK stack does (esbuild, CommonJS, SDK left out) and answers
 * the bundle file of each. Bundles sit under node_modules so the SDK resolves as on Lambda.
 */
export async function bundleHandlers(files: string[]): Promise<Map<string, string>> {
  await build({
    entryPoints: files.map((file) => resolve(repositoryRoot, file)),
    outbase: repositoryRoot,
    outdir,
    bundle: true,
    platform: 'node',
    target: lambdaBundling.target,
    format: lambdaBundling.format,
    external: [...lambdaBundling.externalModules],
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return new Map(files.map((file) => [file, resolve(outdir, file.replace(/\.ts$/, '.js'))]));
}
