import js from '@eslint/js';
import tseslint from 'typescript-eslint';


/**
 * Dependencies run one way: handlers → http (and the pages) → domain → db, aws, excel, pdf, auth →
 * schemas, core, config. The route table (shared/api) is read by handlers, http and infra.
 * An import against the direction fails lint.
 */
const forbid = (...folders) => ({
  regex: `^(\\.\\.?/)+(shared/)?(${folders.join('|')})(/|$)`,
  message: 'Dependencies run one way: handlers → http → domain → db/aws/excel/auth → schemas/core (see the README, "How it is built").',
});
const above = { infra: 'infra', functions: 'functions' };
const layerRules = [
  { files: ['functions/**/*.ts'], forbidden: [above.infra, 'db', 'aws', 'excel', 'pdf'] },
  { files: ['shared/http/**/*.ts', 'shared/web/**/*.ts', 'shared/web/**/*.js'], forbidden: [above.infra, above.functions] },
  { files: ['shared/api/**/*.ts'], forbidden: [above.infra, above.functions, 'http', 'web', 'domain', 'db', 'aws', 'excel', 'pdf', 'auth'] },
  { files: ['shared/domain/**/*.ts'], forbidden: [above.infra, above.functions, 'http', 'web', 'api'] },
  { files: ['shared/db/**/*.ts', 'shared/aws/**/*.ts', 'shared/excel/**/*.ts', 'shared/pdf/**/*.ts', 'shared/auth/**/*.ts'], forbidden: [above.infra, above.functions, 'http', 'web', 'api', 'domain'] },
  { files: ['shared/schemas/**/*.ts', 'shared/core/**/*.ts', 'shared/config.ts', 'shared/faults.ts'], forbidden: [above.infra, above.functions, 'http', 'web', 'api', 'domain', 'db', 'aws', 'excel', 'pdf', 'auth'] },
].map(({ files, forbidden }) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns: [forbid(...forbidden)] }] } }));

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local-data/', 'coverage/', 'bench-results/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests.' },
      ],
    },
  },
  {
    // Only shared/config.ts and the local tooling read the environment.
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    ignores: ['shared/config.ts'],
    rules: { 'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through shared/config.ts.' }] },
  },
  ...layerRules,
);
