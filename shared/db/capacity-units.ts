import { itemSize } from './item-size';

/**
 * What one request costs on AWS, by DynamoDB's rules for on-demand capacity: the recorder
 * (trace-middleware.ts) applies these to the item images it saw before and after each write.
 */

type Item = Record<string, unknown>;

/** One partition key touched by a request (the same shape as the capacity model's Access). */
export interface Access {
  index: string;
  pk: string;
  kind: 'read' | 'write';
  units: number;
}

export interface IndexSchema {
  name: string;
  partitionKey: string;
  sortKey?: string;
  projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  /** The projected non-key attributes of an INCLUDE projection. */
  include?: readonly string[];
}

export interface TableSchema {
  partitionKey: string;
  sortKey?: string;
  indexes: readonly IndexSchema[];
}

const kb = 1024;
const readBlock = 4 * kb;

/** A write (Put, Update, Delete, conditional or not, also when its condition fails): the larger image, in 1 KB, at least 1; ×2 in a transaction. */
export function writeUnits(before: Item | undefined, after: Item | undefined, options: { transactional?: boolean } = {}): number {
  const units = Math.max(1, Math.ceil(Math.max(itemSize(before), itemSize(after)) / kb));
  return options.transactional ? 2 * units : units;
}

/**
 * A read of `bytes` (one item, or all items one Query read): in 4 KB, at least one block even
 * when nothing was found; eventually consistent reads cost half, transactional ones double.
 */
export function readUnits(bytes: number, options: { consistent?: boolean; transactional?: boolean } = {}): number {
  const blocks = Math.max(1, Math.ceil(bytes / readBlock));
  if (options.transactional) return 2 * blocks;
  return options.consistent ? blocks : blocks / 2;
}

const isIndexed = (index: IndexSchema, item: Item | undefined): item is Item =>
  item !== undefined && item[index.partitionKey] !== undefined && (index.sortKey === undefined || item[index.sortKey] !== undefined);

/** The attributes an index entry holds: the index keys, the table keys, and what the index projects. */
function entryOf(table: TableSchema, index: IndexSchema, item: Item): Item {
  if (index.projection === 'ALL') return item;
  const names = [index.partitionKey, index.sortKey, table.partitionKey, table.sortKey, ...(index.projection === 'INCLUDE' ? (index.include ?? []) : [])];
  return Object.fromEntries(names.flatMap((name) => (name !== undefined && item[name] !== undefined ? [[name, item[name]]] : [])));
}

/** Equality of stored values (maps, lists, sets, binary), independent of a map's attribute order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value instanceof Set) return `set:${JSON.stringify([...(value as Set<unknown>)].map(canonical).sort())}`;
  if (value instanceof Uint8Array) return `bin:${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, element]) => element !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, element]) => `${JSON.stringify(name)}:${canonical(element)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const entryUnits = (entry: Item) => Math.max(1, Math.ceil(itemSize(entry) / kb));

/**
 * The writes a table write causes on each global secondary index. A changed index key moves
 * the entry: a delete under the old key (if the item was in the index) and a put under the new
 * one (if it is now). Same key: one write if a projected attribute changed, none otherwise.
 * Index writes are never doubled by a transaction: DynamoDB propagates them after it commits.
 */
export function indexWrites(table: TableSchema, before: Item | undefined, after: Item | undefined): Access[] {
  const accesses: Access[] = [];
  for (const index of table.indexes) {
    const wasIn = isIndexed(index, before);
    const isIn = isIndexed(index, after);
    const keyNames = [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])];
    const keyMoved = wasIn !== isIn || (wasIn && isIn && keyNames.some((name) => !sameValue(before[name], after[name])));
    if (keyMoved) {
      if (wasIn) accesses.push({ index: index.name, pk: String(before[index.partitionKey]), kind: 'write', units: entryUnits(entryOf(table, index, before)) });
      if (isIn) accesses.push({ index: index.name, pk: String(after[index.partitionKey]), kind: 'write', units: entryUnits(entryOf(table, index, after)) });
      continue;
    }
    if (!wasIn || !isIn) continue;
    const oldEntry = entryOf(table, index, before);
    const newEntry = entryOf(table, index, after);
    if (sameValue(oldEntry, newEntry)) continue;
    accesses.push({ index: index.name, pk: String(after[index.partitionKey]), kind: 'write', units: Math.max(entryUnits(oldEntry), entryUnits(newEntry)) });
  }
  return accesses;
}

/** Accesses of one request on the same key, added up: the model sees one entry per key and kind. */
export function mergeAccesses(accesses: readonly Access[]): Access[] {
  const merged = new Map<string, Access>();
  for (const access of accesses) {
    const id = `${access.index}\u0000${access.kind}\u0000${access.pk}`;
    const seen = merged.get(id);
    if (seen) seen.units += access.units;
    else merged.set(id, { ...access });
  }
  return [...merged.values()];
}
