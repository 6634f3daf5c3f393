import { crc32, inflateRawSync } from 'node:zlib';
import { ImportFileError } from './file-error';
import { importLimits, type PartRole } from './limits';
import { selectOdsParts } from './ods-parts';
import { selectFirstSheetParts } from './workbook-parts';

/**
 * The one reading of an uploaded zip that both the limits and the parser use. The central
 * directory (what parsers read) is checked against the local headers (what streaming readers
 * read) for every entry; only the parts SheetJS reads for the first sheet are then inflated,
 * each with its own budget as a hard cap, counting the real bytes, and each must come out at
 * the size and CRC the directory declares. The parser is only handed the bytes counted here.
 */
export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
}

export interface ArchiveLimits {
  maxBytes: number;
  maxEntries: number;
  /** All inflated parts of an .xlsx together. */
  maxUnpackedBytes: number;
  /** All inflated parts of an .ods together. */
  odsMaxUnpackedBytes: number;
  partBudgets: Readonly<Record<PartRole, number>>;
  partItems: typeof importLimits.partItems;
}

/** A zip whose structure has been checked; its entries are inflated on request only. */
export interface Archive {
  /** An OpenDocument package (it has a manifest or a mimetype entry), else taken for Office Open XML. */
  readonly format: 'xlsx' | 'ods';
  /** The entries' names as the directory spells them (folders left out). */
  readonly names: readonly string[];
  /** The name of the entry SheetJS would find for `name` (ignoring case, a leading /, \ as /). */
  find(name: string): string | undefined;
  /** Inflates an entry within the budget of its role and the total left; the same entry is inflated once. */
  inflate(name: string, role: PartRole): Uint8Array;
}

const signature = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
  descriptor: 0x08074b50,
} as const;
const method = { stored: 0, deflated: 8 } as const;
const flag = { encrypted: 0x0001, descriptor: 0x0008, strongEncryption: 0x0040 } as const;
const zip64ExtraId = 0x0001;
/** An end-of-central-directory record is 22 bytes plus a comment of at most 65,535. */
const endRecordLength = 22;
const maxCommentLength = 0xffff;

const damaged = (why: string) => new ImportFileError('unreadable', `The archive is damaged: ${why}.`);
const inconsistent = (why: string) => new ImportFileError('archive_inconsistent', `The archive's directory does not match its contents: ${why}.`);
const roleNames: Record<PartRole, string> = { structure: 'workbook structure part', styles: 'styles part', sharedStrings: 'shared strings part', sheet: 'sheet', content: 'content part' };
/** Names the part and the budget it passed: its own, or the total of all parts. */
const tooLarge = (name: string, role: PartRole, budget: number, total: boolean) =>
  new ImportFileError(
    'archive_too_large',
    total ? `The workbook's parts unpack to more than ${budget} bytes in all (at ${name}).` : `The ${roleNames[role]} ${name} unpacks to more than ${budget} bytes.`,
  );

/** The key SheetJS looks names up by. */
export const lookupKey = (name: string) => name.toLowerCase().replace(/\\/g, '/').replace(/^\/+/, '');

/** Little-endian reads that refuse to go past the end of the file. */
class Bytes {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.byteLength;
  }
  u16(at: number): number {
    this.need(at, 2);
    return this.view.getUint16(at, true);
  }
  u32(at: number): number {
    this.need(at, 4);
    return this.view.getUint32(at, true);
  }
  /** Exact up to 2^53; anything larger is far past every limit anyway. */
  u64(at: number): number {
    return this.u32(at) + this.u32(at + 4) * 2 ** 32;
  }
  slice(at: number, length: number): Uint8Array {
    this.need(at, length);
    return this.bytes.subarray(at, at + length);
  }
  private need(at: number, length: number): void {
    if (!Number.isSafeInteger(at) || at < 0 || at + length > this.bytes.byteLength) throw damaged('it ends too early');
  }
}

interface Directory {
  offset: number;
  size: number;
  entries: number;
}

interface CentralEntry {
  name: string;
  rawName: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

interface DataRange {
  name: string;
  /** The local header. */
  start: number;
  dataStart: number;
  /** Past the compressed data and its data descriptor, if any. */
  end: number;
}

/** The parts SheetJS reads for the first sheet, inflated within their budgets. */
export function readArchive(bytes: Uint8Array, limits: ArchiveLimits = importLimits): ArchiveEntry[] {
  return readWorkbookArchive(bytes, limits).entries;
}

/** The same, saying which zip-based format the parts are of. */
export function readWorkbookArchive(bytes: Uint8Array, limits: ArchiveLimits = importLimits): { format: Archive['format']; entries: ArchiveEntry[] } {
  const archive = openArchive(bytes, limits);
  const entries = archive.format === 'ods' ? selectOdsParts(archive, limits.partItems) : selectFirstSheetParts(archive, limits.partItems);
  return { format: archive.format, entries };
}

export function openArchive(bytes: Uint8Array, limits: ArchiveLimits = importLimits): Archive {
  if (bytes.byteLength > limits.maxBytes) throw new ImportFileError('file_too_large', `The file is larger than ${limits.maxBytes} bytes.`);
  const file = new Bytes(bytes);
  if (file.length < 4 || file.u32(0) !== signature.local) throw new ImportFileError('not_xlsx', 'The file is not a zip-based workbook (.xlsx or .ods).');
  const directory = readDirectoryLocation(file, limits);
  if (directory.entries === 0) throw new ImportFileError('not_xlsx', 'The archive is empty.');
  const entries = readCentralEntries(file, directory);
  refuseDuplicateNames(entries);
  const ranges = entries.map((entry) => locateData(file, entry, directory.offset));
  refuseOverlapsAndGaps(ranges, directory.offset);

  const byKey = new Map(entries.map((entry, index) => [lookupKey(entry.name), index]));
  const inflated = new Map<number, { role: PartRole; content: Uint8Array }>();
  let total = 0;
  const has = (name: string) => byKey.has(name) && !entries[byKey.get(name)!]!.name.endsWith('/');
  // SheetJS reads a zip with a manifest as OpenDocument; a mimetype entry alone decides only without content types.
  const isOds = has('meta-inf/manifest.xml') || (has('mimetype') && !has('[content_types].xml'));
  const maxUnpackedBytes = isOds ? limits.odsMaxUnpackedBytes : limits.maxUnpackedBytes;
  return {
    format: isOds ? 'ods' : 'xlsx',
    names: entries.map((entry) => entry.name).filter((name) => !name.endsWith('/')),
    find(name) {
      const index = byKey.get(lookupKey(name));
      return index === undefined || entries[index]!.name.endsWith('/') ? undefined : entries[index]!.name;
    },
    inflate(name, role) {
      const index = byKey.get(lookupKey(name));
      if (index === undefined) throw new Error(`no entry ${name}`);
      const entry = entries[index]!;
      const done = inflated.get(index);
      // One entry serves one role, so that a part cannot be parsed as another with a larger budget.
      if (done && done.role !== role) throw inconsistent(`${entry.name} is named as both the ${roleNames[done.role]} and the ${roleNames[role]}`);
      if (done) return done.content;
      const own = limits.partBudgets[role];
      const left = maxUnpackedBytes - total;
      const budget = Math.min(own, left);
      const refuse = () => tooLarge(entry.name, role, own <= left ? own : maxUnpackedBytes, own > left);
      // A declared size past the budget is refused before inflating; a lie is caught by the cap.
      if (entry.size > budget) throw refuse();
      const content = unpack(file.slice(ranges[index]!.dataStart, entry.compressedSize), entry, budget, refuse);
      total += content.byteLength;
      inflated.set(index, { role, content });
      return content;
    },
  };
}

/** The end record must close the file exactly (its comment ends at the last byte), so no trailing data hides a second one. */
function findEndRecord(file: Bytes): number {
  const last = file.length - endRecordLength;
  for (let at = last; at >= Math.max(0, last - maxCommentLength); at--) {
    if (file.u32(at) === signature.end && at + endRecordLength + file.u16(at + 20) === file.length) return at;
  }
  throw damaged('it has no end of central directory');
}

interface EndRecord extends Directory {
  disk: number;
  directoryDisk: number;
  entriesOnDisk: number;
  /** Where the central directory must end: at the ZIP64 end record if there is one, else at the end record. */
  endsAt: number;
}

function readDirectoryLocation(file: Bytes, limits: ArchiveLimits): Directory {
  const endAt = findEndRecord(file);
  const end = hasZip64Locator(file, endAt) ? readZip64End(file, endAt) : readEnd(file, endAt);
  if (end.disk !== 0 || end.directoryDisk !== 0 || end.entriesOnDisk !== end.entries) throw damaged('it is split over several disks');
  if (end.entries > limits.maxEntries) throw new ImportFileError('too_many_entries', `The archive has more than ${limits.maxEntries} entries.`);
  if (end.offset + end.size !== end.endsAt) throw inconsistent('the central directory does not end where the end record starts');
  return { offset: end.offset, size: end.size, entries: end.entries };
}

function readEnd(file: Bytes, endAt: number): EndRecord {
  const end = {
    disk: file.u16(endAt + 4),
    directoryDisk: file.u16(endAt + 6),
    entriesOnDisk: file.u16(endAt + 8),
    entries: file.u16(endAt + 10),
    size: file.u32(endAt + 12),
    offset: file.u32(endAt + 16),
    endsAt: endAt,
  };
  if (end.entries === 0xffff || end.entriesOnDisk === 0xffff || end.size === 0xffffffff || end.offset === 0xffffffff) throw damaged('its ZIP64 locator is missing');
  return end;
}

/** Some writers add the ZIP64 records even when no value needs them, so their presence decides, not the all-ones fields. */
function hasZip64Locator(file: Bytes, endAt: number): boolean {
  return endAt >= 20 && file.u32(endAt - 20) === signature.zip64Locator;
}

function readZip64End(file: Bytes, endAt: number): EndRecord {
  const locatorAt = endAt - 20;
  if (file.u32(locatorAt + 4) !== 0 || file.u32(locatorAt + 16) !== 1) throw damaged('it is split over several disks');
  const recordAt = file.u64(locatorAt + 8);
  if (recordAt + 56 > locatorAt || file.u32(recordAt) !== signature.zip64End) throw damaged('its ZIP64 end record is missing');
  return {
    disk: file.u32(recordAt + 16),
    directoryDisk: file.u32(recordAt + 20),
    entriesOnDisk: file.u64(recordAt + 24),
    entries: file.u64(recordAt + 32),
    size: file.u64(recordAt + 40),
    offset: file.u64(recordAt + 48),
    endsAt: recordAt,
  };
}

const utf8 = new TextDecoder();

function readCentralEntries(file: Bytes, directory: Directory): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let at = directory.offset;
  for (let index = 0; index < directory.entries; index++) {
    if (file.u32(at) !== signature.central) throw inconsistent('the central directory holds fewer entries than it declares');
    const nameLength = file.u16(at + 28);
    const extraLength = file.u16(at + 30);
    const commentLength = file.u16(at + 32);
    const rawName = file.slice(at + 46, nameLength);
    const entry: CentralEntry = {
      name: utf8.decode(rawName),
      rawName,
      flags: file.u16(at + 8),
      method: file.u16(at + 10),
      crc: file.u32(at + 16),
      compressedSize: file.u32(at + 20),
      size: file.u32(at + 24),
      localOffset: file.u32(at + 42),
    };
    applyZip64Extra(file.slice(at + 46 + nameLength, extraLength), entry, file.u16(at + 34));
    if (entry.flags & (flag.encrypted | flag.strongEncryption)) throw damaged(`${entry.name} is encrypted`);
    if (entry.method !== method.stored && entry.method !== method.deflated) throw damaged(`${entry.name} uses compression method ${entry.method}`);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (at !== directory.offset + directory.size) throw inconsistent('the central directory size does not match its entries');
  return entries;
}

/** A ZIP64 extra field holds, in this order, the 64-bit values whose 32-bit fields are all ones. */
function applyZip64Extra(extra: Uint8Array, entry: CentralEntry, disk: number): void {
  const fields = new Bytes(extra);
  for (let at = 0; at + 4 <= fields.length; at += 4 + fields.u16(at + 2)) {
    if (fields.u16(at) !== zip64ExtraId) continue;
    let value = at + 4;
    const next = () => {
      const read = fields.u64(value);
      value += 8;
      return read;
    };
    if (entry.size === 0xffffffff) entry.size = next();
    if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
    if (entry.localOffset === 0xffffffff) entry.localOffset = next();
    if (value > at + 4 + fields.u16(at + 2)) throw damaged(`the ZIP64 field of ${entry.name} is too short`);
    if (disk === 0xffff) disk = fields.u32(value);
  }
  if (disk !== 0) throw damaged('it is split over several disks');
}

/** Names are compared as SheetJS looks them up: ignoring case and a leading /, with \ as /. */
function refuseDuplicateNames(entries: CentralEntry[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const key = lookupKey(entry.name);
    if (seen.has(key)) throw inconsistent(`two entries are named ${entry.name}`);
    seen.add(key);
  }
}

/** Checks the local header against the central entry and answers where the entry's bytes lie. */
function locateData(file: Bytes, entry: CentralEntry, directoryOffset: number): DataRange {
  const at = entry.localOffset;
  if (file.u32(at) !== signature.local) throw inconsistent(`${entry.name} has no local header where the directory points`);
  const nameLength = file.u16(at + 26);
  const extraLength = file.u16(at + 28);
  const sameName = nameLength === entry.rawName.byteLength && file.slice(at + 30, nameLength).every((byte, index) => byte === entry.rawName[index]);
  if (!sameName) throw inconsistent(`the local header at the place of ${entry.name} names another entry`);
  if (file.u16(at + 6) !== entry.flags || file.u16(at + 8) !== entry.method) throw inconsistent(`the local header of ${entry.name} has other flags or compression`);
  const dataStart = at + 30 + nameLength + extraLength;
  const dataEnd = dataStart + entry.compressedSize;
  const local = { crc: file.u32(at + 14), compressedSize: file.u32(at + 18), size: file.u32(at + 22) };
  let end = dataEnd;
  if (entry.flags & flag.descriptor) end += descriptorLength(file, dataEnd, entry);
  else {
    if (local.size === 0xffffffff || local.compressedSize === 0xffffffff) Object.assign(local, localZip64Sizes(file.slice(at + 30 + nameLength, extraLength), entry));
    if (local.crc !== entry.crc || local.size !== entry.size || local.compressedSize !== entry.compressedSize) throw inconsistent(`the local header of ${entry.name} declares other sizes or checksum`);
  }
  if (end > directoryOffset) throw inconsistent(`${entry.name} runs into the central directory`);
  // Checked here for every entry, also those never inflated.
  if (entry.method === method.stored && entry.size !== entry.compressedSize) throw inconsistent(`${entry.name} is stored with two different sizes`);
  return { name: entry.name, start: at, dataStart, end };
}

/** In a local header the ZIP64 field holds both sizes, uncompressed first. */
function localZip64Sizes(extra: Uint8Array, entry: CentralEntry): { size: number; compressedSize: number } {
  const fields = new Bytes(extra);
  for (let at = 0; at + 4 <= fields.length; at += 4 + fields.u16(at + 2)) {
    if (fields.u16(at) === zip64ExtraId && fields.u16(at + 2) >= 16) return { size: fields.u64(at + 4), compressedSize: fields.u64(at + 12) };
  }
  throw inconsistent(`the local header of ${entry.name} lacks its ZIP64 sizes`);
}

/** A data descriptor (optional signature, CRC, sizes of 4 or 8 bytes) must repeat the central entry. */
function descriptorLength(file: Bytes, at: number, entry: CentralEntry): number {
  const matches = (start: number, sizeBytes: 4 | 8) => {
    if (start + 4 + 2 * sizeBytes > file.length) return false;
    const read = (where: number) => (sizeBytes === 4 ? file.u32(where) : file.u64(where));
    return file.u32(start) === entry.crc && read(start + 4) === entry.compressedSize && read(start + 4 + sizeBytes) === entry.size;
  };
  // A CRC can happen to equal the signature, so the form without it is tried as well.
  const signed = at + 4 <= file.length && file.u32(at) === signature.descriptor;
  for (const start of signed ? [at + 4, at] : [at]) {
    for (const sizeBytes of [4, 8] as const) if (matches(start, sizeBytes)) return start - at + 4 + 2 * sizeBytes;
  }
  throw inconsistent(`the data descriptor of ${entry.name} declares other sizes or checksum`);
}

/**
 * The entries must tile the file up to the central directory: bytes shared by two entries, or
 * bytes no entry claims (where a streaming reader would find a part the directory hides), are refused.
 */
function refuseOverlapsAndGaps(ranges: DataRange[], directoryOffset: number): void {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  let covered = 0;
  sorted.forEach((range, index) => {
    if (range.start < covered) throw inconsistent(`${sorted[index - 1]!.name} and ${range.name} share bytes`);
    if (range.start > covered) throw inconsistent(`bytes before ${range.name} belong to no entry`);
    covered = range.end;
  });
  if (covered !== directoryOffset) throw inconsistent('bytes before the central directory belong to no entry');
}

/** Inflates with the budget as a hard cap on the output: no buffer is ever sized from a header. */
function unpack(packed: Uint8Array, entry: CentralEntry, budget: number, refuse: () => ImportFileError): Uint8Array {
  const content = entry.method === method.stored ? packed : inflateWithin(packed, budget, entry.name, refuse);
  if (content.byteLength > budget) throw refuse();
  if (content.byteLength !== entry.size) throw inconsistent(`${entry.name} unpacks to ${content.byteLength} bytes, not the ${entry.size} declared`);
  if (crc32(content) !== entry.crc) throw inconsistent(`the checksum of ${entry.name} is wrong`);
  return content;
}

function inflateWithin(packed: Uint8Array, budget: number, name: string, refuse: () => ImportFileError): Uint8Array {
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    // zlib's maxOutputLength must be at least 1; an empty budget is checked by the caller.
    result = inflateRawSync(packed, { maxOutputLength: Math.max(1, budget), info: true }) as unknown as typeof result;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw refuse();
    throw damaged(`${name} does not inflate`);
  }
  if (result.engine.bytesWritten !== packed.byteLength) throw inconsistent(`the compressed data of ${name} is not as long as declared`);
  return result.buffer;
}
