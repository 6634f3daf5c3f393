/** Rounding slack, so that units refilled in many small steps still add up to a whole one. */
const EPSILON = 1e-9;

/**
 * A token bucket holding one second of its rate, full at the start, refilled lazily from the time
 * elapsed. A request larger than the whole bucket is admitted once the bucket is full and leaves
 * it in debt: the debt is paid back by the refill before anything else gets through, so a huge
 * request is slow (it holds the key for as long as its units take to refill) rather than impossible.
 */
export class TokenBucket {
  protected tokens: number;
  protected atMs = 0;

  constructor(protected ratePerSecond: number) {
    this.tokens = ratePerSecond;
  }

  /** Whether `units` could be taken at `nowMs`; times never go backwards. */
  has(units: number, nowMs: number): boolean {
    this.advance(nowMs);
    return this.tokens + EPSILON >= Math.min(units, this.ratePerSecond);
  }

  take(units: number, nowMs: number): void {
    this.advance(nowMs);
    this.tokens -= units;
  }

  protected advance(nowMs: number): void {
    this.refillUntil(nowMs);
  }

  protected refillUntil(ms: number): void {
    if (ms <= this.atMs) return;
    this.tokens = Math.min(this.ratePerSecond, this.tokens + (this.ratePerSecond * (ms - this.atMs)) / 1000);
    this.atMs = ms;
  }
}

/**
 * A table's (or one index's) on-demand ceiling for one kind of unit: a token bucket whose rate
 * starts at the table's start figure and, at the end of each doubling window, becomes the larger
 * of itself and twice the peak per-second consumption seen in that window. A "second" is a fixed
 * one-second slot counted from the window's start, not a sliding second, so windows should be whole
 * seconds long. Ceilings never come down.
 */
export class TableCeiling extends TokenBucket {
  private windowStartMs = 0;
  private slot = 0;
  private slotUnits = 0;
  private windowPeak = 0;

  constructor(
    startPerSecond: number,
    private readonly windowMs: number,
  ) {
    super(startPerSecond);
  }

  get ceilingPerSecond(): number {
    return this.ratePerSecond;
  }

  override take(units: number, nowMs: number): void {
    super.take(units, nowMs);
    const slot = Math.floor((nowMs - this.windowStartMs) / 1000);
    if (slot !== this.slot) {
      this.windowPeak = Math.max(this.windowPeak, this.slotUnits);
      this.slot = slot;
      this.slotUnits = 0;
    }
    this.slotUnits += units;
  }

  /** Refills at the old rate up to each window's end, then raises the rate; windows after it saw nothing, so they change nothing. */
  protected override advance(nowMs: number): void {
    const windowEndMs = this.windowStartMs + this.windowMs;
    if (nowMs >= windowEndMs) {
      this.refillUntil(windowEndMs);
      this.ratePerSecond = Math.max(this.ratePerSecond, 2 * Math.max(this.windowPeak, this.slotUnits));
      this.windowStartMs = Math.floor(nowMs / this.windowMs) * this.windowMs;
      this.slot = 0;
      this.slotUnits = 0;
      this.windowPeak = 0;
    }
    this.refillUntil(nowMs);
  }
}
