import { TableCeiling, TokenBucket } from './buckets';
import type { Access, ModelOptions, Prediction } from './types';

type Kind = Access['kind'];

interface KeyLoad {
  index: string;
  pk: string;
  kind: Kind;
  bucket: TokenBucket;
  units: number;
}

/** What one request needs, summed per key bucket and per table ceiling (a transaction may touch one key twice). */
export interface Demand {
  keys: { load: KeyLoad; units: number }[];
  ceilings: { ceiling: TableCeiling; units: number }[];
}

export type Admission = 'admitted' | 'key' | 'table';

/**
 * DynamoDB's two limits on one table: each partition key has its own read and write buckets, and
 * the table and each index ('table', 'gsi1', …) its own read and write ceilings. A request gets
 * through only when every bucket and ceiling it touches has its units; they are all taken at once.
 */
export class Capacity {
  private readonly keys = new Map<string, KeyLoad>();
  private readonly ceilings = new Map<string, TableCeiling>();
  readonly units = { read: 0, write: 0 };

  constructor(private readonly options: ModelOptions) {}

  demandOf(accesses: Access[]): Demand {
    const keys = new Map<KeyLoad, number>();
    const ceilings = new Map<TableCeiling, number>();
    for (const access of accesses) {
      const load = this.keyLoad(access);
      keys.set(load, (keys.get(load) ?? 0) + access.units);
      const ceiling = this.ceiling(access.index, access.kind);
      ceilings.set(ceiling, (ceilings.get(ceiling) ?? 0) + access.units);
    }
    return {
      keys: [...keys].map(([load, units]) => ({ load, units })),
      ceilings: [...ceilings].map(([ceiling, units]) => ({ ceiling, units })),
    };
  }

  /** Takes the units if every bucket and ceiling has them, else says which limit refused (a key first). */
  admit(demand: Demand, nowMs: number): Admission {
    if (!demand.keys.every(({ load, units }) => load.bucket.has(units, nowMs))) return 'key';
    if (!demand.ceilings.every(({ ceiling, units }) => ceiling.has(units, nowMs))) return 'table';
    for (const { load, units } of demand.keys) {
      load.bucket.take(units, nowMs);
      load.units += units;
      this.units[load.kind] += units;
    }
    for (const { ceiling, units } of demand.ceilings) ceiling.take(units, nowMs);
    return 'admitted';
  }

  /**
   * The key that used the most of its own partition's capacity: units weighed by the per-key rate,
   * so that 3,000 RCU on one key is as hot as 1,000 WCU on another. Its share is of its own kind.
   */
  hottestKey(): Prediction['hottestKey'] {
    let hottest: KeyLoad | undefined;
    const heat = (load: KeyLoad) => load.units / this.partitionRate(load.kind);
    for (const load of this.keys.values()) if (hottest === undefined || heat(load) > heat(hottest)) hottest = load;
    if (hottest === undefined) return { index: '', pk: '', kind: 'write', units: 0, share: 0 };
    const { index, pk, kind, units } = hottest;
    const total = this.units[kind];
    return { index, pk, kind, units, share: total > 0 ? units / total : 0 };
  }

  private partitionRate(kind: Kind): number {
    return kind === 'write' ? this.options.partitionWcuPerSecond : this.options.partitionRcuPerSecond;
  }

  private keyLoad({ index, pk, kind }: Access): KeyLoad {
    const name = `${kind}\u0000${index}\u0000${pk}`;
    let load = this.keys.get(name);
    if (load === undefined) {
      load = { index, pk, kind, bucket: new TokenBucket(this.partitionRate(kind)), units: 0 };
      this.keys.set(name, load);
    }
    return load;
  }

  private ceiling(index: string, kind: Kind): TableCeiling {
    const name = `${kind}\u0000${index}`;
    let ceiling = this.ceilings.get(name);
    if (ceiling === undefined) {
      const start = kind === 'write' ? this.options.tableStartWcuPerSecond : this.options.tableStartRcuPerSecond;
      ceiling = new TableCeiling(start, this.options.doublingWindowMs);
      this.ceilings.set(name, ceiling);
    }
    return ceiling;
  }
}
