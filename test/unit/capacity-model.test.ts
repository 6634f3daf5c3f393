import { backoffMs } from '../capacity/model/backoff';
import { TableCeiling, TokenBucket } from '../capacity/model/buckets';
import { requestUnitsCostUsd } from '../capacity/model/cost';
import { awsDefaults, READ_REQUEST_UNIT_USD_PER_MILLION, WRITE_REQUEST_UNIT_USD_PER_MILLION } from '../capacity/model/defaults';
import { formatTable, targetRows, type ScenarioResult } from '../capacity/model/report';
import { simulate } from '../capacity/model/simulate';
import type { Access, Invocation, ModelOptions, WorkloadInvocation } from '../capacity/model/types';
import { replicate, workloadOf } from '../capacity/model/workload';

type Step = WorkloadInvocation['steps'][number];

const write = (pk: string, units = 1, index = 'table'): Access => ({ index, pk, kind: 'write', units });
const read = (pk: string, units = 0.5, index = 'table'): Access => ({ index, pk, kind: 'read', units });
const step = (op: string, accesses: Access[], gapMs = 0): Step => ({ gapMs, op, accesses });
const puts = (count: number, pkOf: (i: number) => string, gapMs = 0): Step[] => Array.from({ length: count }, (_, i) => step('PutItem', [write(pkOf(i))], gapMs));
const invocation = (steps: Step[], fields: Partial<WorkloadInvocation> = {}): WorkloadInvocation => ({ id: 'i', fn: 'f', arriveMs: 0, inFlight: 1, steps, tailMs: 0, ...fields });

/** Retries every `ms`, so retry times fall on a grid and the figures below can be worked out by hand. */
const everyMs = (ms: number, options: ModelOptions = awsDefaults): ModelOptions => ({ ...options, retryBaseMs: ms, retryCapMs: ms });

describe('defaults', () => {
  it('are the AWS figures', () => {
    expect(awsDefaults).toMatchObject({ partitionWcuPerSecond: 1000, partitionRcuPerSecond: 3000, tableStartWcuPerSecond: 4000, tableStartRcuPerSecond: 12000, doublingWindowMs: 1_800_000, lambdaConcurrency: 1000 });
    expect(['GetItem', 'PutItem', 'Query', 'TransactWriteItems'].map(awsDefaults.latencyMs)).toEqual([4, 6, 8, 15]);
  });

  it('refuse an operation they assume no latency for', () => {
    expect(() => awsDefaults.latencyMs('Scan')).toThrow(/Scan/);
  });

  it('back off exponentially from 25 ms to 2 s', () => {
    expect([1, 2, 3, 7, 8, 40].map((retry) => backoffMs(retry, 25, 2000))).toEqual([25, 50, 100, 1600, 2000, 2000]);
  });
});

describe('cost', () => {
  it('is the on-demand list price', () => {
    expect(WRITE_REQUEST_UNIT_USD_PER_MILLION).toBe(0.625);
    expect(READ_REQUEST_UNIT_USD_PER_MILLION).toBe(0.125);
    expect(requestUnitsCostUsd({ read: 0, write: 1_000_000 })).toBe(0.625);
    expect(requestUnitsCostUsd({ read: 1_000_000, write: 1_000_000 })).toBe(0.75);
  });

  it('counts the units the simulation admitted', () => {
    const million = step('BatchWriteItem', Array.from({ length: 10 }, (_, i) => write(`K${i}`, 100_000)));
    const prediction = simulate([invocation([million])], awsDefaults);
    expect(prediction.units).toEqual({ read: 0, write: 1_000_000 });
    expect(prediction.costUsd).toBe(0.625);
  });
});

describe('workloadOf', () => {
  // A sent at 1, answered at 10; B sent at 3 while A is out, answered at 5; C at 7; D at 12 once A is back.
  const recorded: Invocation = {
    id: 'x',
    fn: 'signIn',
    startMs: 100,
    durationMs: 25,
    requests: [
      { op: 'GetItem', sentMs: 1, answeredMs: 10, accesses: [read('A')] },
      { op: 'GetItem', sentMs: 3, answeredMs: 5, accesses: [read('B')] },
      { op: 'PutItem', sentMs: 7, answeredMs: 9, accesses: [write('C')] },
      { op: 'PutItem', sentMs: 12, answeredMs: 20, accesses: [write('D')] },
    ],
  };

  it('keeps only the CPU time between events', () => {
    const work = workloadOf(recorded, 40, 4);
    // A: 1 − 0. B: 3 − A's send (no answer yet). C: 7 − B's answer at 5. D: 12 − A's answer at 10 (the latest by then).
    expect(work.steps.map((s) => s.gapMs)).toEqual([1, 2, 2, 2]);
    // The last answer came at 20 and the invocation answered at 25.
    expect(work.tailMs).toBe(5);
    expect(work).toMatchObject({ id: 'x', fn: 'signIn', arriveMs: 40, inFlight: 4 });
    expect(work.steps.map((s) => s.op)).toEqual(['GetItem', 'GetItem', 'PutItem', 'PutItem']);
  });

  it('gives back the recorded duration when AWS answers as fast as the local run did', () => {
    const sequential: Invocation = {
      id: 'y',
      fn: 'me',
      startMs: 0,
      durationMs: 20,
      requests: [
        { op: 'PutItem', sentMs: 2, answeredMs: 8, accesses: [write('A')] },
        { op: 'PutItem', sentMs: 10, answeredMs: 16, accesses: [write('B')] },
      ],
    };
    const prediction = simulate([workloadOf(sequential, 0, 1)], awsDefaults);
    expect(prediction.makespanMs).toBe(20);
  });

  it('makes an invocation without requests last its duration', () => {
    const work = workloadOf({ id: 'z', fn: 'health', startMs: 0, durationMs: 7, requests: [] }, 0, 1);
    expect(work).toMatchObject({ steps: [], tailMs: 7 });
    expect(simulate([work], awsDefaults).makespanMs).toBe(7);
  });
});

describe('replicate', () => {
  const signIn = (user: string, code: string): Invocation => ({
    id: user,
    fn: 'signIn',
    startMs: 0,
    durationMs: 10,
    requests: [
      { op: 'GetItem', sentMs: 0, answeredMs: 2, accesses: [read('T#1')] },
      { op: 'TransactWriteItems', sentMs: 3, answeredMs: 6, accesses: [write(`U#${user}`, 2), write('T#1', 2), write(code, 2, 'gsi1')] },
    ],
  });
  const sample = [signIn('u1', 'CODE#a'), signIn('u2', 'CODE#b')];

  it('renames the keys one invocation touched and keeps the shared ones', () => {
    const copies = replicate(sample, 3);
    expect(copies).toHaveLength(3);
    const [u1, u2] = copies[2] ?? [];
    expect(u1?.id).toBe('u1~2');
    expect(u2?.id).toBe('u2~2');
    expect(u1?.requests[0]?.accesses).toEqual([read('T#1')]);
    expect(u1?.requests[1]?.accesses).toEqual([write('U#u1~2', 2), write('T#1', 2), write('CODE#a~2', 2, 'gsi1')]);
    expect(u2?.requests[1]?.accesses.map((a) => a.pk)).toEqual(['U#u2~2', 'T#1', 'CODE#b~2']);
    expect(copies[0]?.[0]?.requests[1]?.accesses[0]?.pk).toBe('U#u1~0');
  });

  it('tells keys apart by index, reads and writes alike', () => {
    const [a, b] = replicate([signIn('u1', 'T#1'), signIn('u2', 'CODE#b')], 1)[0] ?? [];
    // table:T#1 is shared; gsi1:T#1 only u1 touched.
    expect(a?.requests[1]?.accesses.map((x) => `${x.index}:${x.pk}`)).toEqual(['table:U#u1~0', 'table:T#1', 'gsi1:T#1~0']);
    expect(b?.requests[0]?.accesses[0]?.pk).toBe('T#1');
  });

  it('leaves the sample itself alone', () => {
    replicate(sample, 2);
    expect(sample[0]?.requests[1]?.accesses[0]?.pk).toBe('U#u1');
  });
});

describe('buckets', () => {
  it('refill lazily up to one second of their rate', () => {
    const bucket = new TokenBucket(10);
    bucket.take(10, 0);
    expect(bucket.has(1, 99)).toBe(false);
    expect(bucket.has(1, 100)).toBe(true);
    expect(bucket.has(10, 5000)).toBe(true);
    bucket.take(10, 5000);
    expect(bucket.has(1, 5099)).toBe(false);
  });

  it('let a request larger than the bucket in when it is full, into debt', () => {
    const bucket = new TokenBucket(10);
    expect(bucket.has(25, 0)).toBe(true);
    bucket.take(25, 0);
    // −15 at 0, refilled 10 per second: 1 unit at 1,600 ms.
    expect(bucket.has(1, 1599)).toBe(false);
    expect(bucket.has(1, 1600)).toBe(true);
    // Larger than the bucket again: waits for a full bucket, at 2,500 ms.
    expect(bucket.has(25, 2499)).toBe(false);
    expect(bucket.has(25, 2500)).toBe(true);
  });

  it('raise a table ceiling to twice the window peak per second, and never lower it', () => {
    const ceiling = new TableCeiling(40, 2000);
    ceiling.take(40, 0);
    ceiling.take(30, 900); // second 0 of the window: 70 units
    ceiling.take(20, 1500); // second 1: 20
    expect(ceiling.has(1, 1999)).toBe(true);
    expect(ceiling.ceilingPerSecond).toBe(40);
    expect(ceiling.has(1, 2000)).toBe(true);
    expect(ceiling.ceilingPerSecond).toBe(140);
    ceiling.take(10, 2500); // the next window's peak is 10: 2 × 10 < 140
    ceiling.has(0, 4000);
    expect(ceiling.ceilingPerSecond).toBe(140);
    ceiling.take(100, 7000); // windows 4,000–6,000 saw nothing; 6,000–8,000 sees 100
    ceiling.has(0, 9000);
    expect(ceiling.ceilingPerSecond).toBe(200);
  });

  it('refill a table ceiling at the old rate until the window ends', () => {
    const ceiling = new TableCeiling(10, 1000);
    ceiling.take(10, 0);
    ceiling.take(20, 500); // 5 refilled, 15 in debt; peak 30 → 60 per second from 1,000
    // At 1,000: −15 + 5 = −10; then 60 per second: 1 unit at 1,000 + 11/60 s ≈ 1,183.3 ms.
    expect(ceiling.has(1, 1183)).toBe(false);
    expect(ceiling.has(1, 1184)).toBe(true);
  });
});

describe('simulate', () => {
  it('runs sequential requests at the assumed latency', () => {
    // Each: 2 ms of CPU, then a 6 ms PutItem.
    const prediction = simulate([invocation(puts(10, (i) => `K${i}`, 2))], awsDefaults);
    expect(prediction.makespanMs).toBe(10 * (2 + 6));
    expect(prediction.throttledRequests).toBe(0);
    expect(prediction.byFunction.f).toEqual({ invocations: 1, p50Ms: 80, p99Ms: 80, maxMs: 80, requests: 10, throttledRequests: 0 });
    expect(prediction.units).toEqual({ read: 0, write: 10 });
  });

  it('runs the CPU gaps one after another while requests overlap', () => {
    // inFlight 3: sends at 2, 4, 6 (one CPU); answers at 8, 10, 12; the fourth is sent at max(8, 6) + 2 = 10, answered at 16; tail 1.
    const prediction = simulate([invocation(puts(4, (i) => `K${i}`, 2), { inFlight: 3, tailMs: 1 })], awsDefaults);
    expect(prediction.makespanMs).toBe(17);
  });

  it('throttles 5,000 writes to one key to 1,000 per second after the burst', () => {
    const work = [invocation(puts(5000, () => 'K'), { inFlight: 100 })];
    // With retries every 1 ms, every event falls on a whole millisecond and the bucket refills one unit per ms.
    // Rounds of 100 every 6 ms drain the 1,000-unit bucket by 94 a round: 10 rounds (1,000 units), then 60 left at 60 ms
    // (1,060 admitted, bucket empty). From then on exactly one is admitted each millisecond, as some request is always
    // retrying: the 5,000th at 60 + 3,940 = 4,000 ms, answered at 4,006.
    const exact = simulate(work, everyMs(1));
    expect(exact.makespanMs).toBe(4006);
    expect(exact.throttledRequests).toBeGreaterThan(0);
    expect(exact.throttledBy.table).toBe(0);
    expect(exact.hottestKey).toEqual({ index: 'table', pk: 'K', kind: 'write', units: 5000, share: 1 });

    // With the SDK's backoff the last requests sit in waits of up to 2 s after the units are there.
    const sdk = simulate(work, awsDefaults);
    expect(sdk.makespanMs).toBeGreaterThanOrEqual(4006);
    expect(sdk.makespanMs).toBeLessThanOrEqual(4006 + 2000);
    expect(sdk.throttledRequests).toBeGreaterThan(0);
    expect(sdk.byFunction.f?.throttledRequests).toBe(sdk.throttledRequests);
  });

  it('runs the same 5,000 writes over 50 keys at latency', () => {
    // 100 per key fit each key's burst; the table's 4,000 burst plus 4 per ms keeps ahead of 100 every 6 ms (5,000 ≤ 4,000 + 49 × 24).
    const prediction = simulate([invocation(puts(5000, (i) => `K${i % 50}`), { inFlight: 100 })], awsDefaults);
    expect(prediction.makespanMs).toBe((5000 / 100) * 6);
    expect(prediction.throttledRequests).toBe(0);
    expect(prediction.hottestKey.share).toBeCloseTo(1 / 50, 12);
  });

  describe('table ceiling', () => {
    // Scaled down tenfold and more, to keep the arithmetic small: keys 10 WCU/s, table 40 WCU/s; retries every 25 ms.
    const small = everyMs(25, { ...awsDefaults, partitionWcuPerSecond: 10, tableStartWcuPerSecond: 40 });
    // 8 keys × 20 writes, all sent at once: the keys alone would allow 80 per second.
    const work = [invocation(puts(160, (i) => `K${i % 8}`), { inFlight: 1000 })];

    it('binds when the keys together could go faster', () => {
      // The table has 40 + 0.04 per ms: the 160th unit at 3,000 ms (a retry time), answered at 3,006.
      const prediction = simulate(work, small);
      expect(prediction.makespanMs).toBe(3006);
      expect(prediction.throttledBy.key).toBe(0);
      expect(prediction.throttledBy.table).toBeGreaterThan(0);
    });

    it('leaves the keys to bind when it is high enough', () => {
      // Table 80: each key has 10 + 0.01 per ms, its 20th unit at 1,000 ms; answered at 1,006.
      const prediction = simulate(work, { ...small, tableStartWcuPerSecond: 80 });
      expect(prediction.makespanMs).toBe(1006);
      expect(prediction.throttledBy.table).toBe(0);
    });

    it('rises after the doubling window', () => {
      // Window 1 s. In it: 40 at 0, then one unit per 25 ms up to 975: 79 units in second 0, so the ceiling becomes
      // 158 per second at 1,000. At 1,000 one unit was refilled (the 80th, taken); the other 80 need 80 / 0.158 ms
      // = 506.3 ms: the first retry after 1,506.3 is at 1,525, answered at 1,531 (instead of 3,006).
      const prediction = simulate(work, { ...small, doublingWindowMs: 1000 });
      expect(prediction.makespanMs).toBe(1531);
    });

    it('is separate for each index', () => {
      const spread = [invocation(Array.from({ length: 80 }, (_, i) => step('PutItem', [write(`K${i % 8}`, 1, i < 40 ? 'table' : 'gsi1')])), { inFlight: 1000 })];
      // 40 on the table and 40 on gsi1 fit each one's burst; keys (index and pk) have 5 each.
      expect(simulate(spread, small).throttledRequests).toBe(0);
    });
  });

  it('serialises invocations on a concurrency of one and honours arrival times', () => {
    const one = (id: string, arriveMs: number) => invocation([step('PutItem', [write(id)], 2)], { id, arriveMs, tailMs: 1 });
    // Each takes 2 + 6 + 1 = 9 ms: a 0–9, b waits and runs 9–18, c arrives at 100 and runs to 109.
    const prediction = simulate([one('a', 0), one('b', 0), one('c', 100)], { ...awsDefaults, lambdaConcurrency: 1 });
    expect(prediction.makespanMs).toBe(109);
    expect(prediction.byFunction.f).toMatchObject({ invocations: 3, p50Ms: 9, maxMs: 18 });
    // With room for all, b does not wait.
    expect(simulate([one('a', 0), one('b', 0), one('c', 100)], awsDefaults).byFunction.f?.maxMs).toBe(9);
  });

  it('measures the makespan from the first arrival', () => {
    expect(simulate([invocation(puts(1, () => 'K'), { arriveMs: 500 })], awsDefaults).makespanMs).toBe(6);
  });

  it('serves 3,000 eventually consistent reads per second per key, apart from its writes', () => {
    // 6,000 reads of 0.5 RCU take the whole 3,000 burst; 2 more are throttled, retried at 25 ms with 75 RCU refilled, answered at 29.
    const reads = Array.from({ length: 6002 }, () => step('GetItem', [read('K')]));
    const prediction = simulate([invocation([step('PutItem', [write('K')]), ...reads], { inFlight: 10_000 })], awsDefaults);
    expect(prediction.makespanMs).toBe(29);
    expect(prediction.throttledRequests).toBe(2);
    expect(prediction.units).toEqual({ read: 3001, write: 1 });
    expect(prediction.hottestKey).toEqual({ index: 'table', pk: 'K', kind: 'read', units: 3001, share: 1 });
  });

  it('weighs the hottest key by its own partition limit', () => {
    // 2,400 RCU is 0.8 s of a read partition; 900 WCU is 0.9 s of a write one.
    const prediction = simulate([invocation([step('Query', [read('R', 2400)]), step('PutItem', [write('W', 900)])])], awsDefaults);
    expect(prediction.hottestKey).toMatchObject({ pk: 'W', kind: 'write', share: 900 / 900 });
  });

  it('lets a request larger than the bucket through slowly, not never', () => {
    // Key 10 WCU/s. The first 25 WCU goes in on the full bucket at 0 (−15), answered at 6. The second needs a full bucket
    // again: −15 + 0.01 per ms reaches 10 at 2,500; retries every 10 ms from 6 reach 2,506, answered at 2,512.
    // Throttled at 6, 16, …, 2,496: 250 times.
    const options = everyMs(10, { ...awsDefaults, partitionWcuPerSecond: 10 });
    const prediction = simulate([invocation([step('PutItem', [write('K', 25)]), step('PutItem', [write('K', 25)])])], options);
    expect(prediction.makespanMs).toBe(2512);
    expect(prediction.throttledRequests).toBe(250);
  });

  it('sums what a transaction takes from one key', () => {
    // Two 6-WCU items under one pk on a 10 WCU bucket: 12 > 10, so in debt on the full bucket, not refused.
    const options = { ...awsDefaults, partitionWcuPerSecond: 10 };
    const prediction = simulate([invocation([step('TransactWriteItems', [write('K', 6), write('K', 6)])])], options);
    expect(prediction).toMatchObject({ makespanMs: 15, throttledRequests: 0, units: { read: 0, write: 12 } });
  });

  it('refuses rates that would leave a request retrying forever', () => {
    expect(() => simulate([invocation(puts(1, () => 'K'))], { ...awsDefaults, partitionWcuPerSecond: 0 })).toThrow(/partitionWcuPerSecond/);
    expect(() => simulate([], { ...awsDefaults, lambdaConcurrency: 0 })).toThrow(/lambdaConcurrency/);
  });

  it('is deterministic', () => {
    const work = [invocation(puts(3000, (i) => `K${i % 3}`), { inFlight: 50 })];
    expect(simulate(work, awsDefaults)).toEqual(simulate(work, awsDefaults));
  });

  it('models 10,000 sign-ins of 10 requests on one tenant in seconds', () => {
    const signIns = Array.from({ length: 10_000 }, (_, i) =>
      invocation(
        [
          step('GetItem', [read('T#1')], 5),
          step('Query', [read(`U#${i}`, 0.5, 'gsi1')], 2),
          ...Array.from({ length: 8 }, () => step('TransactWriteItems', [write('T#1', 2), write(`U#${i}`, 2)], 1)),
        ],
        { id: `s${i}`, fn: 'signIn', arriveMs: i * 0.1, tailMs: 3 },
      ),
    );
    const began = performance.now();
    const prediction = simulate(signIns, awsDefaults);
    expect(performance.now() - began).toBeLessThan(10_000);
    // 160,000 WCU on T#1 at 1,000 per second (after a 1,000 burst): at least 159 s.
    expect(prediction.makespanMs).toBeGreaterThan(159_000);
    expect(prediction.units).toEqual({ read: 10_000, write: 320_000 });
    expect(prediction.hottestKey).toMatchObject({ pk: 'T#1', kind: 'write', units: 160_000, share: 0.5 });
    expect(prediction.byFunction.signIn).toMatchObject({ invocations: 10_000, requests: 100_000 });
    expect(prediction.throttledBy.key).toBe(prediction.throttledRequests);
  });
});

describe('report', () => {
  const fast = simulate([invocation(puts(10, (i) => `K${i}`, 2))], awsDefaults);
  const hot = simulate([invocation(puts(5000, () => 'T#0123456789abcdef0123456789'), { inFlight: 100, fn: 'importFile' })], everyMs(1));
  const results: ScenarioResult[] = [
    { scenario: 'sign-in', layout: 'v2', prediction: fast },
    { scenario: 'import', layout: 'v1', prediction: hot },
  ];

  it('lays the scenarios side by side in fixed columns', () => {
    const lines = formatTable(results).split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[0]).toMatch(/^\| scenario +\| layout \| predicted time \| throttled \(per fn\) +\| hottest key +\| share +\| units +\| cost +\|$/);
    expect(lines[2]).toContain('| sign-in  | v2     | 80 ms ');
    expect(lines[3]).toContain('4.01 s');
    expect(lines[3]).toMatch(/\| [\d,]+ \(importFile [\d,]+\)/);
    expect(lines[3]).toContain('table:T#0123456789abcde…');
    expect(lines[3]).toContain('100.0 % W');
    expect(lines[3]).toContain('0 R / 5,000 W');
    expect(lines[3]).toContain('$0.0031');
  });

  it('says which targets are met and which are missed', () => {
    const rows = targetRows(results, [
      { label: 'sign-in time', scenario: 'sign-in', layout: 'v2', measure: (p) => p.makespanMs, atMost: 1000, unit: 'ms' },
      { label: 'import throttling', scenario: 'import', layout: 'v1', measure: (p) => p.throttledRequests, atMost: 0, unit: 'requests' },
      { label: 'export time', scenario: 'export', layout: 'v2', measure: (p) => p.makespanMs, atMost: 1000, unit: 'ms' },
    ]);
    expect(rows[0]).toBe('target sign-in time (sign-in, v2) ≤ 1.00 s: 80 ms — met');
    expect(rows[1]).toMatch(/^target import throttling \(import, v1\) ≤ 0: [\d,]+ — \*\*MISSED\*\*$/);
    expect(rows[2]).toBe('target export time (export, v2) ≤ 1.00 s: no prediction — **MISSED**');
  });
});
