/** Small measuring helpers for the benchmark: medians, percentiles and peak memory. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const median = (values: number[]) => percentile(values, 50);

export async function timeEach(count: number, concurrency: number, action: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let started = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        const begin = performance.now();
        await action();
        times.push(performance.now() - begin);
      }
    }),
  );
  return times;
}

/** Samples this process's resident memory while `work` runs; answers the peak in MB. */
export async function peakMemoryDuring<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number; beforeMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const beforeMb = process.memoryUsage().rss / 1024 / 1024;
  let peakMb = beforeMb;
  const sampler = setInterval(() => {
    peakMb = Math.max(peakMb, process.memoryUsage().rss / 1024 / 1024);
  }, 20);
  try {
    const result = await work();
    peakMb = Math.max(peakMb, process.memoryUsage().rss / 1024 / 1024);
    return { result, peakMb, beforeMb };
  } finally {
    clearInterval(sampler);
  }
}

export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Times two actions side by side: alternating blocks of `block` runs each, so that drift on
 * a shared machine (other load, CPU frequency, JIT warm-up) falls on both alike.
 */
export async function sideBySide(
  count: number,
  concurrency: number,
  measured: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  block = 25,
): Promise<{ measured: number[]; baseline: number[] }> {
  const result = { measured: [] as number[], baseline: [] as number[] };
  await timeEach(block, concurrency, measured);
  await timeEach(block, concurrency, baseline);
  for (let done = 0; done < count; done += block) {
    result.measured.push(...(await timeEach(block, concurrency, measured)));
    result.baseline.push(...(await timeEach(block, concurrency, baseline)));
  }
  return result;
}

/**
 * Mann-Whitney U test of two samples, as the normal approximation's z (ties ranked by their
 * mean rank): |z| < 2 says the two cannot be told apart at about the 5% level.
 */
export function mannWhitneyZ(a: number[], b: number[]): number {
  const all = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieCorrection = 0;
  for (let start = 0; start < all.length; ) {
    let end = start;
    while (end + 1 < all.length && all[end + 1]!.value === all[start]!.value) end++;
    const meanRank = (start + end) / 2 + 1;
    const tied = end - start + 1;
    tieCorrection += tied ** 3 - tied;
    for (let index = start; index <= end; index++) if (all[index]!.fromA) rankSumA += meanRank;
    start = end + 1;
  }
  const [n1, n2] = [a.length, b.length];
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieCorrection / (n * (n - 1))));
  return (u - (n1 * n2) / 2) / sigma;
}
