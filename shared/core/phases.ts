/** Where the time of a job went: each mark closes the phase that ran since the one before. */
export class PhaseClock {
  readonly phasesMs: Record<string, number> = {};
  private last = performance.now();

  mark(phase: string): void {
    const now = performance.now();
    this.phasesMs[phase] = Math.round((this.phasesMs[phase] ?? 0) + (now - this.last));
    this.last = now;
  }
}
