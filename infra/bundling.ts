/**
 * How a handler becomes a Lambda bundle. The CDK functions and the local gateway use the
 * same settings, so what runs locally is what would run on Lambda.
 */
export const lambdaBundling = {
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourceMap: true,
  /**
   * Nothing is left out: the AWS SDK is bundled at the version package-lock.json pins and
   * the tests ran against, not taken from the runtime, whose copy AWS updates on its own
   * schedule (AWS's SDK team recommends bundling it). Its ES module builds shake better.
   */
  externalModules: [],
  mainFields: ['module', 'main'],
  /** The letters' fonts are files beside the bundle (shared/pdf/fonts.ts). */
  loader: { '.ttf': 'file' },
} as const;
