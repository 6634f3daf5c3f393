import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Dependencies run one way, and lint says so: a probe file placed in each layer imports what
 * that layer may not, and ESLint (the project's own config, as `npm run lint` runs it) refuses it.
 */
const root = resolve(__dirname, '..', '..');

function lint(filePath: string, source: string): string {
  const eslint = spawnSync(join(root, 'node_modules', '.bin', 'eslint'), ['--stdin', '--stdin-filename', filePath, '--format', 'json'], { cwd: root, input: source, encoding: 'utf8' });
  return eslint.stdout;
}

const refused = (filePath: string, specifier: string) => {
  const output = lint(filePath, `import * as probe from '${specifier}';\nexport default probe;\n`);
  return /no-restricted-imports/.test(output);
};

test.each([
  ['shared/db/probe.ts', '../domain/sessions'],
  ['shared/db/probe.ts', '../http/endpoint'],
  ['shared/auth/probe.ts', '../domain/errors'],
  ['shared/domain/probe.ts', '../http/types'],
  ['shared/domain/probe.ts', '../api/routes'],
  ['shared/api/probe.ts', '../http/parse'],
  ['shared/schemas/probe.ts', '../db/keys'],
  ['shared/core/probe.ts', '../domain/users'],
  ['shared/http/probe.ts', '../../infra/stack'],
  ['functions/admin/probe.ts', '../../shared/db/users'],
  ['functions/admin/probe.ts', '../../shared/pdf/code-sheets'],
  ['shared/pdf/probe.ts', '../domain/letters'],
  ['functions/admin/probe.ts', '../../infra/workers'],
  ['shared/web/pages/probe.ts', '../../../functions/pages/admin'],
])('%s may not import %s', (filePath, specifier) => {
  expect(refused(filePath, specifier)).toBe(true);
}, 30_000);

test.each([
  ['shared/db/probe.ts', '../core/errors'],
  ['shared/domain/probe.ts', '../db/users'],
  ['shared/http/probe.ts', '../domain/sessions'],
  ['functions/admin/probe.ts', '../../shared/api/routes'],
])('%s may import %s', (filePath, specifier) => {
  expect(refused(filePath, specifier)).toBe(false);
}, 30_000);
