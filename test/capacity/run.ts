import { execFileSync } from 'node:child_process';
import { tableLayout } from '../../shared/db/keys';
import { baselineLayout, readBaseline, writeBaseline } from './baseline';
import { compositions } from './compositions';
import { awsDefaults, formatTable, simulate, targetRows, type ScenarioResult, type Target, type Trace } from './model';
import { startRecordingStack } from './recording';
import { scenarioNames, scenarios, type ScenarioName } from './scenarios';
import { summarize } from './summary';

/**
 * `npm run capacity`: records the DynamoDB requests the real code sends in each scenario
 * (scenarios.ts) against the local stack, loads the traces of the baseline layout
 * (test/capacity/baseline/), and predicts with the capacity model what DynamoDB on AWS would
 * make of both, side by side (the workloads: compositions.ts), with the targets met or **MISSED**.
 *
 *   --raw              print what was recorded (requests, units per index, hottest keys); no model
 *   --record-baseline  also write the traces as this layout's baseline fixtures
 *   --only=a,b         only these scenarios (import50k, signIns, me, export100k)
 */
const args = process.argv.slice(2);
const raw = args.includes('--raw');
const recordBaseline = args.includes('--record-baseline');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const wanted = scenarioNames.filter((name) => !only || only.includes(name));

function recordedAt(): Trace['recordedAt'] {
  const git = (...gitArgs: string[]) => execFileSync('git', gitArgs, { cwd: __dirname, encoding: 'utf8' }).trim();
  // Changes to anything but the fixtures themselves mean the commit is not quite the code that ran.
  const dirty = git('status', '--porcelain', '--', '.', ':(top,exclude)test/capacity/baseline').length > 0;
  return { commit: `${git('rev-parse', 'HEAD')}${dirty ? '-dirty' : ''}`, date: new Date().toISOString() };
}

const targets = (layout: string): Target[] => [
  { label: '50,000-row import (the worker, upload to completed) ≤ 25 s', scenario: 'import50k', layout, measure: (p) => p.byFunction.importFile?.maxMs ?? Infinity, atMost: 25_000, unit: 'ms' },
  { label: 'zero throttled sign-ins during the import', scenario: 'import50k + signIns', layout, measure: (p) => p.byFunction.signIn?.throttledRequests ?? Infinity, atMost: 0, unit: 'requests' },
];

async function recordLive(): Promise<Partial<Record<ScenarioName, Trace>>> {
  const recording = await startRecordingStack();
  const traces: Partial<Record<ScenarioName, Trace>> = {};
  try {
    for (const name of wanted) {
      const begin = Date.now();
      const invocations = await scenarios[name](recording);
      traces[name] = { scenario: name, layout: tableLayout, recordedAt: recordedAt(), invocations };
      process.stderr.write(`recorded ${name}: ${invocations.length} invocations in ${((Date.now() - begin) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    await recording.stop();
  }
  return traces;
}

async function main() {
  const live = await recordLive();
  if (recordBaseline) {
    for (const trace of Object.values(live)) {
      const { file, bytes } = writeBaseline(trace);
      process.stdout.write(`baseline written: ${file} (${(bytes / 1024).toFixed(0)} KB)\n`);
    }
  }
  const baseline: Partial<Record<ScenarioName, Trace>> = {};
  for (const name of wanted) {
    const trace = readBaseline(baselineLayout, name);
    if (trace) baseline[name] = trace;
    else process.stdout.write(`no ${baselineLayout} baseline for ${name}: record one with --record-baseline on the ${baselineLayout} layout\n`);
  }
  // Loaded after the stack has set the configuration it reads.
  const { writesInFlight } = await import('../../shared/domain/import-worker');
  const sides = [
    // The v1 worker kept 8 transactions of 100 rows in flight (batchesInFlight at the baseline's commit).
    { label: `${baselineLayout} (baseline)`, traces: baseline, importInFlight: 8 },
    { label: `${tableLayout} (live)`, traces: live, importInFlight: writesInFlight },
  ];
  if (raw) {
    for (const side of sides) {
      process.stdout.write(`\n${side.label}\n`);
      for (const trace of Object.values(side.traces)) process.stdout.write(`${summarize(trace)}\n`);
    }
    return;
  }
  const results: ScenarioResult[] = [];
  for (const side of sides) {
    for (const composition of compositions(side.traces, side.importInFlight)) {
      const begin = Date.now();
      results.push({ scenario: composition.scenario, layout: side.label, prediction: simulate(composition.workload, awsDefaults) });
      process.stderr.write(`modelled ${composition.scenario} (${side.label}): ${composition.workload.length} invocations in ${((Date.now() - begin) / 1000).toFixed(1)} s\n`);
    }
  }
  process.stdout.write(`\n${formatTable(results)}\n\n${sides.flatMap((side) => targetRows(results, targets(side.label))).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`capacity failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
