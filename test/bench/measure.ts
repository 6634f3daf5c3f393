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
