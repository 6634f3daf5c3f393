/** The wait before retry `retry` (1 for the first): exponential from `baseMs`, capped, no jitter, so runs repeat exactly. */
export function backoffMs(retry: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.min(retry - 1, 52));
}
