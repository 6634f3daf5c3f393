import type { Trace } from './model/types';

const format = (units: number) => (Number.isInteger(units) ? String(units) : units.toFixed(1));

/** A trace in a few lines, without the model: invocations, requests by operation, units by index, the hottest keys. */
export function summarize(trace: Trace, hottest = 3): string {
  const functions = new Map<string, { count: number; totalMs: number }>();
  const ops = new Map<string, number>();
  const units = new Map<string, { read: number; write: number }>();
  const keys = new Map<string, number>();
  for (const invocation of trace.invocations) {
    const fn = functions.get(invocation.fn) ?? { count: 0, totalMs: 0 };
    fn.count++;
    fn.totalMs += invocation.durationMs;
    functions.set(invocation.fn, fn);
    for (const request of invocation.requests) {
      ops.set(request.op, (ops.get(request.op) ?? 0) + 1);
      for (const access of request.accesses) {
        const index = units.get(access.index) ?? { read: 0, write: 0 };
        index[access.kind] += access.units;
        units.set(access.index, index);
        const key = `${access.kind === 'read' ? 'R' : 'W'} ${access.index}:${access.pk}`;
        keys.set(key, (keys.get(key) ?? 0) + access.units);
      }
    }
  }
  const requests = [...ops.values()].reduce((sum, count) => sum + count, 0);
  const top = [...keys.entries()].sort((a, b) => b[1] - a[1]).slice(0, hottest);
  return [
    `${trace.scenario} (${trace.layout}, ${trace.recordedAt.commit.slice(0, 10)} ${trace.recordedAt.date}): ${trace.invocations.length} invocations, ${requests} requests`,
    `  functions: ${[...functions.entries()].map(([name, fn]) => `${name} ×${fn.count} (mean ${(fn.totalMs / fn.count).toFixed(1)} ms)`).join(', ')}`,
    `  requests: ${[...ops.entries()].map(([op, count]) => `${op} ${count}`).join(', ')}`,
    `  units: ${[...units.entries()].map(([index, total]) => `${index} ${format(total.read)} R / ${format(total.write)} W`).join('; ')}`,
    `  hottest: ${top.map(([key, total]) => `${key} ${format(total)}`).join('; ')}`,
  ].join('\n');
}
