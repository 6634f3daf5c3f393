/**
 * How a handler becomes a Lambda bundle. The CDK functions and the local gateway use the
 * same settings, so what runs locally is what would run on Lambda.
 */
export const lambdaBundling = {
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourceMap: true,
  /** The Node.js 22 runtime provides the AWS SDK v3. */
  externalModules: ['@aws-sdk/*'],
} as const;
