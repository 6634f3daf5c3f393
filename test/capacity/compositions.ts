import { replicate, workloadOf, type Invocation, type Trace, type WorkloadInvocation } from './model';
import type { ScenarioName } from './scenarios';

/**
 * The workloads the model predicts, built from recorded traces of one layout:
 *
 * - `import50k`: the import alone, as recorded (the worker keeps `importInFlight` transactions in flight).
 * - `import50k + signIns`: the import, and 10,000 sign-ins (the sample of distinct users,
 *   replicated) arriving evenly over 10 minutes from the moment the import's worker starts.
 * - `me 2,000/s`: GET /v1/me at 2,000 a second for 30 s (60,000, the sample replicated) on one tenant.
 * - `export100k`: the export alone, as recorded.
 *
 * Every invocation but the import's worker awaits each request: in flight 1.
 */
export interface Composition {
  scenario: string;
  needs: ScenarioName[];
  workload: WorkloadInvocation[];
}

export const signInsDuringImport = { count: 10_000, overMs: 10 * 60 * 1000 };
export const meLoad = { perSecond: 2_000, forMs: 30_000 };

/** `count` invocations out of copies of the sample, arriving every `everyMs` from `fromMs`. */
function spread(sample: Invocation[], count: number, fromMs: number, everyMs: number): WorkloadInvocation[] {
  const copies = replicate(sample, Math.ceil(count / sample.length)).flat().slice(0, count);
  return copies.map((invocation, index) => workloadOf(invocation, fromMs + index * everyMs, 1));
}

export function compositions(traces: Partial<Record<ScenarioName, Trace>>, importInFlight: number): Composition[] {
  const asRecorded = (trace: Trace) => trace.invocations.map((invocation) => workloadOf(invocation, invocation.startMs, invocation.fn === 'importFile' ? importInFlight : 1));
  const result: Composition[] = [];
  const { import50k, signIns, me, export100k } = traces;
  if (import50k) {
    result.push({ scenario: 'import50k', needs: ['import50k'], workload: asRecorded(import50k) });
    if (signIns) {
      const importStartMs = import50k.invocations.find((invocation) => invocation.fn === 'importFile')?.startMs ?? 0;
      const signInsOnly = signIns.invocations.filter((invocation) => invocation.fn === 'signIn');
      result.push({
        scenario: 'import50k + signIns',
        needs: ['import50k', 'signIns'],
        workload: [...asRecorded(import50k), ...spread(signInsOnly, signInsDuringImport.count, importStartMs, signInsDuringImport.overMs / signInsDuringImport.count)],
      });
    }
  }
  if (me) {
    const count = (meLoad.perSecond * meLoad.forMs) / 1000;
    result.push({ scenario: 'me 2,000/s', needs: ['me'], workload: spread(me.invocations, count, 0, 1000 / meLoad.perSecond) });
  }
  if (export100k) result.push({ scenario: 'export100k', needs: ['export100k'], workload: asRecorded(export100k) });
  return result;
}
