/** Nearest-rank percentile of values sorted ascending: the smallest value with at least p % of them at or below it. */
export function nearestRank(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1] as number;
}
