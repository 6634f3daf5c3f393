import { backoffMs } from './backoff';
import { Capacity, type Demand } from './capacity';
import { requestUnitsCostUsd } from './cost';
import { MinHeap } from './heap';
import { nearestRank } from './percentile';
import type { ModelOptions, Prediction, WorkloadInvocation } from './types';

/** One invocation while it runs: its own CPU and its in-flight slots. */
interface Run {
  work: WorkloadInvocation;
  inFlight: number;
  nextStep: number;
  outstanding: number;
  sendScheduled: boolean;
  throttled: number;
}

interface Request {
  run: Run;
  op: string;
  demand: Demand;
  retries: number;
}

type Event =
  | { atMs: number; seq: number; type: 'arrive' | 'send' | 'done'; run: Run }
  | { atMs: number; seq: number; type: 'attempt' | 'answer'; run: Run; request: Request };
type Unsequenced<E> = E extends unknown ? Omit<E, 'seq'> : never;

/**
 * A deterministic discrete-event simulation of a workload on one on-demand table.
 *
 * Invocations arrive at their arriveMs and at most lambdaConcurrency run at once; the rest wait in
 * arrival order. Each has one CPU, so its gaps run one after another, and at most inFlight requests
 * outstanding: a step is sent once the previous one was sent, a slot is free, and then its gap has
 * passed on the CPU. A request is admitted when every key bucket and table ceiling it touches has
 * its units (see Capacity); a refused attempt counts as a throttled request and is retried after
 * the backoff, as often as needed; an admitted one is answered latencyMs(op) later. The invocation
 * is done tailMs after its last answer.
 */
export function simulate(workload: WorkloadInvocation[], options: ModelOptions): Prediction {
  checkOptions(options);
  const retryBaseMs = options.retryBaseMs ?? 25;
  const retryCapMs = options.retryCapMs ?? 2_000;
  const capacity = new Capacity(options);
  const events = new MinHeap<Event>((a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq));
  let seq = 0;
  const at = (event: Unsequenced<Event>) => events.push({ ...event, seq: seq++ });

  const waiting: Run[] = [];
  let waitingHead = 0;
  let running = 0;
  const durations = new Map<string, number[]>();
  const byFunction: Prediction['byFunction'] = {};
  const throttledBy = { key: 0, table: 0 };
  let firstArrivalMs = Infinity;
  let lastDoneMs = -Infinity;

  for (const work of workload) {
    at({ atMs: work.arriveMs, type: 'arrive', run: { work, inFlight: Math.max(1, Math.floor(work.inFlight)), nextStep: 0, outstanding: 0, sendScheduled: false, throttled: 0 } });
    firstArrivalMs = Math.min(firstArrivalMs, work.arriveMs);
    byFunction[work.fn] ??= { invocations: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, requests: 0, throttledRequests: 0 };
  }

  const start = (run: Run, nowMs: number) => {
    running++;
    if (run.work.steps.length === 0) at({ atMs: nowMs + run.work.tailMs, type: 'done', run });
    else sendNext(run, nowMs);
  };

  // Called at a send or when a slot comes free; either way the CPU is idle from now (a gap only starts once the step before was sent), so the next gap starts now.
  const sendNext = (run: Run, nowMs: number) => {
    const step = run.work.steps[run.nextStep];
    if (run.sendScheduled || step === undefined || run.outstanding >= run.inFlight) return;
    run.sendScheduled = true;
    at({ atMs: nowMs + step.gapMs, type: 'send', run });
  };

  const attempt = (request: Request, nowMs: number) => {
    const admission = capacity.admit(request.demand, nowMs);
    if (admission === 'admitted') {
      at({ atMs: nowMs + options.latencyMs(request.op), type: 'answer', run: request.run, request });
      return;
    }
    throttledBy[admission]++;
    request.run.throttled++;
    request.retries++;
    at({ atMs: nowMs + backoffMs(request.retries, retryBaseMs, retryCapMs), type: 'attempt', run: request.run, request });
  };

  for (let event = events.pop(); event !== undefined; event = events.pop()) {
    const { atMs: nowMs, run } = event;
    switch (event.type) {
      case 'arrive':
        if (running < options.lambdaConcurrency) start(run, nowMs);
        else waiting.push(run);
        break;
      case 'send': {
        const step = run.work.steps[run.nextStep++];
        if (step === undefined) throw new Error('a send was scheduled past the last step');
        run.sendScheduled = false;
        run.outstanding++;
        attempt({ run, op: step.op, demand: capacity.demandOf(step.accesses), retries: 0 }, nowMs);
        sendNext(run, nowMs);
        break;
      }
      case 'attempt':
        attempt(event.request, nowMs);
        break;
      case 'answer':
        run.outstanding--;
        if (run.nextStep < run.work.steps.length) sendNext(run, nowMs);
        else if (run.outstanding === 0) at({ atMs: nowMs + run.work.tailMs, type: 'done', run });
        break;
      case 'done': {
        running--;
        lastDoneMs = Math.max(lastDoneMs, nowMs);
        const fn = byFunction[run.work.fn];
        if (fn === undefined) throw new Error(`no entry for ${run.work.fn}`);
        fn.invocations++;
        fn.requests += run.work.steps.length;
        fn.throttledRequests += run.throttled;
        const times = durations.get(run.work.fn) ?? [];
        times.push(nowMs - run.work.arriveMs);
        durations.set(run.work.fn, times);
        const next = waiting[waitingHead];
        if (next !== undefined) {
          waitingHead++;
          start(next, nowMs);
        }
        break;
      }
    }
  }

  for (const [fnName, times] of durations) {
    const fn = byFunction[fnName];
    if (fn === undefined) continue;
    times.sort((a, b) => a - b);
    fn.p50Ms = nearestRank(times, 50);
    fn.p99Ms = nearestRank(times, 99);
    fn.maxMs = times[times.length - 1] ?? 0;
  }

  const units = { ...capacity.units };
  return {
    makespanMs: workload.length === 0 ? 0 : lastDoneMs - firstArrivalMs,
    byFunction,
    throttledRequests: throttledBy.key + throttledBy.table,
    throttledBy,
    hottestKey: capacity.hottestKey(),
    units,
    costUsd: requestUnitsCostUsd(units),
  };
}

/** Rates of zero would leave a request retrying forever, and no concurrency would start nothing. */
function checkOptions(options: ModelOptions): void {
  const positive = ['partitionWcuPerSecond', 'partitionRcuPerSecond', 'tableStartWcuPerSecond', 'tableStartRcuPerSecond', 'doublingWindowMs', 'lambdaConcurrency'] as const;
  for (const name of positive) if (!(options[name] > 0)) throw new Error(`ModelOptions.${name} must be positive, not ${options[name]}`);
  if (!((options.retryBaseMs ?? 25) > 0)) throw new Error('ModelOptions.retryBaseMs must be positive');
}
