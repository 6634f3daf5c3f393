import { itemSize, significantDigits } from '../../shared/db/item-size';
import { indexWrites, mergeAccesses, readUnits, sameValue, writeUnits, type TableSchema } from '../../shared/db/capacity-units';

describe('itemSize: DynamoDB item size rules', () => {
  it('counts attribute names and string values in UTF-8 bytes', () => {
    expect(itemSize({ name: 'Alice' })).toBe(4 + 5);
    // "é" is two bytes in UTF-8, "€" three.
    expect(itemSize({ é: '€' })).toBe(2 + 3);
  });

  it('counts a number as 1 byte plus 1 per two significant digits, zeros at either end trimmed', () => {
    expect(significantDigits(12345)).toBe(5);
    expect(itemSize({ n: 12345 })).toBe(1 + (1 + 3));
    expect(significantDigits(-0.0012)).toBe(2);
    expect(significantDigits(1000)).toBe(1);
    expect(significantDigits(1e21)).toBe(1);
    expect(itemSize({ n: 0 })).toBe(1 + 2);
  });

  it('counts booleans and null as 1 byte, binary as its bytes', () => {
    expect(itemSize({ ok: true, no: null })).toBe(2 + 1 + 2 + 1);
    expect(itemSize({ b: new Uint8Array(10) })).toBe(1 + 10);
  });

  it('gives lists and maps 3 bytes, their elements and 1 byte per element; sets the sum of their elements', () => {
    expect(itemSize({ l: ['a', 'bc'] })).toBe(1 + 3 + (1 + 1) + (2 + 1));
    expect(itemSize({ m: { a: 'x', bb: 7 } })).toBe(1 + 3 + (1 + 1 + 1) + (2 + 2 + 1));
    expect(itemSize({ l: [] })).toBe(1 + 3);
    expect(itemSize({ s: new Set(['ab', 'c']) })).toBe(1 + 3);
  });

  it('skips undefined attributes, which the document client does not send', () => {
    expect(itemSize({ a: 'x', b: undefined })).toBe(2);
    expect(itemSize(undefined)).toBe(0);
  });
});

/** An item of exactly `bytes` bytes: one attribute "d" holding a string. */
const ofSize = (bytes: number) => ({ d: 'x'.repeat(bytes - 1) });

describe('writeUnits', () => {
  it('charges the larger image in 1 KB steps, at least 1 (AWS: a 500-byte item 1 WCU, 3.5 KB 4 WCU)', () => {
    expect(writeUnits(undefined, ofSize(500))).toBe(1);
    expect(writeUnits(undefined, ofSize(3584))).toBe(4);
    expect(writeUnits(ofSize(1024), undefined)).toBe(1);
    expect(writeUnits(ofSize(1025), ofSize(10))).toBe(2);
    expect(writeUnits(undefined, undefined)).toBe(1);
  });

  it('doubles inside a transaction (AWS: 2 WCU for a transactional write of 1 KB)', () => {
    expect(writeUnits(undefined, ofSize(1024), { transactional: true })).toBe(2);
    expect(writeUnits(undefined, ofSize(3584), { transactional: true })).toBe(8);
  });
});

describe('readUnits', () => {
  it('charges 4 KB blocks: 1 strongly consistent, 0.5 eventually, 2 transactional, even when nothing was found', () => {
    expect(readUnits(3584, { consistent: true })).toBe(1);
    expect(readUnits(3584)).toBe(0.5);
    expect(readUnits(8 * 1024, { consistent: true })).toBe(2);
    expect(readUnits(8 * 1024 + 1)).toBe(1.5);
    expect(readUnits(0, { consistent: true })).toBe(1);
    expect(readUnits(0)).toBe(0.5);
    expect(readUnits(4096, { transactional: true })).toBe(2);
  });

  it('rounds a Query once over all items it read (AWS: 10 items of 400 bytes are one block)', () => {
    expect(readUnits(10 * 400, { consistent: true })).toBe(1);
  });
});

const table = (projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE', include?: string[]): TableSchema => ({
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection, ...(include ? { include } : {}) }],
});
const invitation = { pk: 'T#1', sk: 'UID#a', gsi1pk: 'CODE#x', gsi1sk: 'CODE', status: 'pending', firstName: 'Ada' };

describe('indexWrites', () => {
  it('puts an entry for a new item that has the index keys, and nothing for one without', () => {
    expect(indexWrites(table('ALL'), undefined, invitation)).toEqual([{ index: 'gsi1', pk: 'CODE#x', kind: 'write', units: 1 }]);
    expect(indexWrites(table('ALL'), undefined, { pk: 'T#1', sk: 'USER#1' })).toEqual([]);
  });

  it('deletes the entry when the item goes, and moves it (delete and put) when its index key changes', () => {
    expect(indexWrites(table('ALL'), invitation, undefined)).toEqual([{ index: 'gsi1', pk: 'CODE#x', kind: 'write', units: 1 }]);
    expect(indexWrites(table('KEYS_ONLY'), invitation, { ...invitation, gsi1pk: 'CODE#y' })).toEqual([
      { index: 'gsi1', pk: 'CODE#x', kind: 'write', units: 1 },
      { index: 'gsi1', pk: 'CODE#y', kind: 'write', units: 1 },
    ]);
  });

  it('writes once when a projected attribute changes, and not at all when only others do', () => {
    const renamed = { ...invitation, firstName: 'Grace' };
    expect(indexWrites(table('ALL'), invitation, renamed)).toHaveLength(1);
    expect(indexWrites(table('INCLUDE', ['firstName']), invitation, renamed)).toHaveLength(1);
    expect(indexWrites(table('INCLUDE', ['status']), invitation, renamed)).toEqual([]);
    expect(indexWrites(table('KEYS_ONLY'), invitation, renamed)).toEqual([]);
    expect(indexWrites(table('ALL'), invitation, { ...invitation })).toEqual([]);
  });

  it('sizes the entry by what the index holds, in 1 KB steps', () => {
    const large = { ...invitation, notes: 'x'.repeat(3000) };
    expect(indexWrites(table('ALL'), undefined, large)[0]!.units).toBe(3);
    expect(indexWrites(table('KEYS_ONLY'), undefined, large)[0]!.units).toBe(1);
  });
});

describe('sameValue and mergeAccesses', () => {
  it('compares maps regardless of attribute order, and sets regardless of element order', () => {
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue(new Set(['a', 'b']), new Set(['b', 'a']))).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });

  it('adds up the units of one request on the same key and kind', () => {
    expect(
      mergeAccesses([
        { index: 'table', pk: 'T#1', kind: 'write', units: 2 },
        { index: 'table', pk: 'T#1', kind: 'write', units: 2 },
        { index: 'gsi1', pk: 'CODE#x', kind: 'write', units: 1 },
      ]),
    ).toEqual([
      { index: 'table', pk: 'T#1', kind: 'write', units: 4 },
      { index: 'gsi1', pk: 'CODE#x', kind: 'write', units: 1 },
    ]);
  });
});
