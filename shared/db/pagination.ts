import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../core/errors';
import { db, tableName } from './client';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PartitionQuery<T> {
  pk: string;
  skPrefix: string;
  limit: number;
  cursor?: string;
  /** A DynamoDB filter; pages are filled up to `limit` across reads. */
  filter?: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };
  newestFirst?: boolean;
  map: (item: Record<string, unknown>) => T;
}

/** Reads of one filtered page are bounded; past this the page ends early with a cursor. */
const maxReadsPerPage = 10;

/** A cursor names only the sort key, so it can never reach outside the caller's partition and prefix. */
export function encodeCursor(sk: string): string {
  return Buffer.from(JSON.stringify({ sk }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, skPrefix: string): string {
  try {
    const { sk } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { sk?: unknown };
    // DynamoDB refuses sort keys over 1,024 bytes; a forged one is refused here instead.
    if (typeof sk === 'string' && sk.startsWith(skPrefix) && Buffer.byteLength(sk, 'utf8') <= 1024 && sk.isWellFormed()) return sk;
  } catch {
    // falls through to the refusal below
  }
  throw new DomainError('invalid_cursor', { en: 'The cursor does not belong to this list; start again without it.', fr: 'Le curseur n’appartient pas à cette liste ; recommencez sans lui.' });
}

type Filter = PartitionQuery<unknown>['filter'];

/** The Query of items of one partition under a sort-key prefix, optionally filtered. */
function prefixQuery(pk: string, skPrefix: string, filter: Filter) {
  return {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix, ...filter?.values },
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
  };
}

export async function queryPartition<T>(query: PartitionQuery<T>): Promise<Page<T>> {
  const items: T[] = [];
  let startSk = query.cursor ? decodeCursor(query.cursor, query.skPrefix) : undefined;
  for (let reads = 0; reads < maxReadsPerPage; reads++) {
    const wanted = query.limit - items.length;
    const page = await db.send(
      new QueryCommand({
        ...prefixQuery(query.pk, query.skPrefix, query.filter),
        ...(startSk ? { ExclusiveStartKey: { pk: query.pk, sk: startSk } } : {}),
        Limit: query.filter ? Math.max(wanted, 100) : wanted,
        ScanIndexForward: !query.newestFirst,
      }),
    );
    for (const item of page.Items ?? []) {
      items.push(query.map(item));
      startSk = item.sk as string;
      if (items.length === query.limit) return { items, nextCursor: encodeCursor(startSk) };
    }
    if (!page.LastEvaluatedKey) return { items, nextCursor: null };
    startSk = page.LastEvaluatedKey.sk as string;
  }
  return { items, nextCursor: startSk ? encodeCursor(startSk) : null };
}

/** Every item of a partition under a prefix, a page at a time, so a caller never holds them all. */
export async function* everyPage(query: { pk: string; skPrefix: string; filter?: Filter; projection?: string }): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        ...prefixQuery(query.pk, query.skPrefix, query.filter),
        ...(query.projection ? { ProjectionExpression: query.projection } : {}),
        ConsistentRead: true,
        ExclusiveStartKey,
      }),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/**
 * A collection spread over several partition keys (shards), on the table or on an index,
 * read as one list in sort-key order: each shard is queried and the heads are merged.
 */
export interface ShardedQuery<T> {
  /** The index holding the collection; the table when absent. */
  index?: 'gsi2';
  pks: readonly string[];
  skPrefix: string;
  limit: number;
  cursor?: string;
  filter?: Filter;
  newestFirst?: boolean;
  /** Strongly consistent reads (the table only; an index is always eventually consistent). */
  consistent?: boolean;
  map: (item: Record<string, unknown>) => T;
}

type ShardSource = Pick<ShardedQuery<unknown>, 'index' | 'skPrefix' | 'filter' | 'newestFirst' | 'consistent'> & { projection?: string };

/** The highest code point: every string that starts with a prefix sorts at or below prefix + this. */
const highest = String.fromCodePoint(0x10ffff);

/** One shard's items in order, read a page at a time, starting after a position. */
class ShardReader {
  readonly buffer: Record<string, unknown>[] = [];
  done = false;
  /** How far this shard has been read: every item up to here is in the buffer or emitted. */
  scannedTo?: string;
  private startKey?: Record<string, unknown>;

  constructor(
    private readonly source: ShardSource,
    private readonly pk: string,
    private readonly after?: string,
  ) {}

  get keyNames() {
    return this.source.index ? { pk: `${this.source.index}pk`, sk: `${this.source.index}sk` } : { pk: 'pk', sk: 'sk' };
  }

  sortKeyOf(item: Record<string, unknown>): string {
    return item[this.keyNames.sk] as string;
  }

  /** DynamoDB refuses an empty string in a key condition: with no prefix, the bounds are one-sided. */
  private keyCondition() {
    const { skPrefix, newestFirst } = this.source;
    const onPk = { ':pk': this.pk };
    if (this.after === undefined) {
      return skPrefix ? { expression: '#pk = :pk AND begins_with(#sk, :prefix)', values: { ...onPk, ':prefix': skPrefix } } : { expression: '#pk = :pk', values: onPk };
    }
    if (!skPrefix) return { expression: `#pk = :pk AND #sk ${newestFirst ? '<' : '>'} :after`, values: { ...onPk, ':after': this.after } };
    // BETWEEN includes the cursor's own item; it is dropped when read.
    const [from, to] = newestFirst ? [skPrefix, this.after] : [this.after, skPrefix + highest];
    return { expression: '#pk = :pk AND #sk BETWEEN :from AND :to', values: { ...onPk, ':from': from, ':to': to } };
  }

  async fetch(limit?: number): Promise<void> {
    const { filter, index, consistent, newestFirst, projection } = this.source;
    const condition = this.keyCondition();
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: condition.expression,
        ExpressionAttributeNames: { '#pk': this.keyNames.pk, ...(condition.expression.includes('#sk') ? { '#sk': this.keyNames.sk } : {}), ...filter?.names },
        ExpressionAttributeValues: { ...condition.values, ...filter?.values },
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ...(projection ? { ProjectionExpression: projection } : {}),
        ...(consistent && !index ? { ConsistentRead: true } : {}),
        ...(this.startKey ? { ExclusiveStartKey: this.startKey } : {}),
        ...(limit ? { Limit: limit } : {}),
        ScanIndexForward: !newestFirst,
      }),
    );
    for (const item of page.Items ?? []) {
      if (this.sortKeyOf(item) !== this.after) this.buffer.push(item);
    }
    this.startKey = page.LastEvaluatedKey;
    this.done = !page.LastEvaluatedKey;
    const last = page.LastEvaluatedKey ?? page.Items?.at(-1);
    if (last) this.scannedTo = this.sortKeyOf(last);
  }
}

/** The reader whose head comes first in the list's order, or none when every buffer is empty. */
function firstHead(readers: readonly ShardReader[], newestFirst: boolean | undefined): ShardReader | undefined {
  let best: ShardReader | undefined;
  for (const reader of readers) {
    const head = reader.buffer[0];
    if (!head) continue;
    const sk = reader.sortKeyOf(head);
    if (!best || (newestFirst ? sk > best.sortKeyOf(best.buffer[0]!) : sk < best.sortKeyOf(best.buffer[0]!))) best = reader;
  }
  return best;
}

/** One page of a sharded collection. Reads are bounded (10 a shard); past that the page ends early with a cursor. */
export async function queryShards<T>(query: ShardedQuery<T>): Promise<Page<T>> {
  const after = query.cursor ? decodeCursor(query.cursor, query.skPrefix) : undefined;
  const readers = query.pks.map((pk) => new ShardReader(query, pk, after));
  const comesFirst = (a: string, b: string) => (query.newestFirst ? a > b : a < b);
  // Unfiltered, a shard holds about limit/shards of a page; twice that is read at first, more only if needed.
  const fetchLimit = query.filter ? Math.max(query.limit, 100) : Math.max(10, Math.ceil((2 * query.limit) / readers.length));
  const readBudget = maxReadsPerPage * readers.length;
  const items: T[] = [];
  let lastSk: string | undefined;
  const emit = (reader: ShardReader) => {
    const item = reader.buffer.shift()!;
    items.push(query.map(item));
    lastSk = reader.sortKeyOf(item);
  };
  let reads = 0;
  while (items.length < query.limit) {
    const hungry = readers.filter((reader) => reader.buffer.length === 0 && !reader.done);
    if (hungry.length === 0) {
      const next = firstHead(readers, query.newestFirst);
      if (!next) return { items, nextCursor: null };
      emit(next);
      continue;
    }
    if (reads + hungry.length > readBudget) {
      // Everything up to the least-read shard's position has been seen: emit it, then continue from there.
      const frontier = readers
        .filter((reader) => !reader.done)
        .map((reader) => reader.scannedTo!)
        .reduce((a, b) => (comesFirst(a, b) ? a : b));
      for (let next = firstHead(readers, query.newestFirst); next && items.length < query.limit; next = firstHead(readers, query.newestFirst)) {
        if (comesFirst(frontier, next.sortKeyOf(next.buffer[0]!))) break;
        emit(next);
      }
      return { items, nextCursor: encodeCursor(items.length === query.limit ? lastSk! : frontier) };
    }
    reads += hungry.length;
    await Promise.all(hungry.map((reader) => reader.fetch(fetchLimit)));
  }
  return { items, nextCursor: encodeCursor(lastSk!) };
}

/** Every item of a sharded collection in sort-key order, a batch at a time, so a caller never holds them all. */
export async function* everyShardedPage(query: ShardSource & { pks: readonly string[] }): AsyncGenerator<Record<string, unknown>[]> {
  const readers = query.pks.map((pk) => new ShardReader(query, pk));
  for (;;) {
    const hungry = readers.filter((reader) => reader.buffer.length === 0 && !reader.done);
    await Promise.all(hungry.map((reader) => reader.fetch()));
    const batch: Record<string, unknown>[] = [];
    // Emit while every unfinished shard still has a head, so the order holds across batches.
    while (readers.every((reader) => reader.done || reader.buffer.length > 0)) {
      const next = firstHead(readers, query.newestFirst);
      if (!next) break;
      batch.push(next.buffer.shift()!);
    }
    if (batch.length > 0) yield batch;
    if (readers.every((reader) => reader.done && reader.buffer.length === 0)) return;
  }
}
