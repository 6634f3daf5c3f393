import { resolve } from 'node:path';
import { build } from 'esbuild';
import { lambdaBundling } from '../bundling';

export const repositoryRoot = resolve(__dirname, '..', '..');
const localOutdir = resolve(repositoryRoot, 'node_modules', '.cache', 'emailless-local');

export interface BundleOptions {
  /** Minified as deployed (sizes, cold starts) rather than readable with inline source maps (local stack). */
  minified?: boolean;
  /** Under node_modules/.cache by default. */
  outdir?: string;
}

/**
 * Bundles handler files as the CDK stack does (esbuild, CommonJS, the SDK inside) and answers
 * the bundle file of each.
 */
export async function bundleHandlers(files: string[], options: BundleOptions = {}): Promise<Map<string, string>> {
  const outdir = options.outdir ?? localOutdir;
  await build({
    entryPoints: files.map((file) => resolve(repositoryRoot, file)),
    outbase: repositoryRoot,
    outdir,
    bundle: true,
    platform: 'node',
    target: lambdaBundling.target,
    format: lambdaBundling.format,
    external: [...lambdaBundling.externalModules],
    mainFields: [...lambdaBundling.mainFields],
    loader: { ...lambdaBundling.loader },
    ...(options.minified ? { minify: lambdaBundling.minify } : { sourcemap: 'inline' as const }),
    logLevel: 'error',
  });
  return new Map(files.map((file) => [file, resolve(outdir, file.replace(/\.ts$/, '.js'))]));
}
