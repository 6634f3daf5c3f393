import { spawnSync } from 'node:child_process';

/**
 * `npm run audit`: npm audit of the production dependencies; fails on a high or critical
 * advisory. Where the registry's advisory service cannot be reached (some mirrors answer
 * 405), it says so and that there is no result, and fails only with --strict.
 */
const strict = process.argv.includes('--strict');
const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8', timeout: 120_000 });
let report: { metadata?: { vulnerabilities?: Record<string, number> }; message?: string; error?: { summary?: string } };
try {
  report = JSON.parse(run.stdout) as typeof report;
} catch {
  report = { message: run.stderr.trim().split('\n').pop() ?? 'no output' };
}

const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why = report.message ?? report.error?.summary ?? 'unknown error';
  process.stdout.write(`npm audit: NO RESULT, the advisory service could not be asked (${why})\n`);
  process.exit(strict ? 1 : 0);
}
const summary = Object.entries(counts)
  .filter(([level]) => level !== 'total')
  .map(([level, count]) => `${count} ${level}`)
  .join(', ');
const blocking = (counts.high ?? 0) + (counts.critical ?? 0);
process.stdout.write(`npm audit (production dependencies): ${summary}\n`);
if (blocking > 0) {
  process.stdout.write('High or critical advisories: run `npm audit --omit=dev` for the details.\n');
  process.exit(1);
}
