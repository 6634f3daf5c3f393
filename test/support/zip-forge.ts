import { unzipSync } from 'fflate';
import { crc32, deflateRawSync } from 'node:zlib';
import { XlsxWriter } from '../../shared/excel/write';

/**
 * Writes zip files byte by byte, honest by default, so that a test can make any one header
 * lie: sizes, names, checksums, offsets, ZIP64 fields, data descriptors.
 */
export interface Declared {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  extra: Uint8Array;
}

export interface ForgedEntry extends Declared {
  /** The entry's bytes as written: already deflated when method is 8. */
  data: Uint8Array;
  /** What the local header says instead, where it should lie. */
  local?: Partial<Declared>;
  /** What the central record says instead; offset gets the local header offsets of all written entries. */
  central?: Partial<Declared> & { offset?: (localOffsets: readonly number[]) => number };
  /** Written after the data, with flag 8; each value defaults to the honest one. */
  descriptor?: Partial<Pick<Declared, 'crc' | 'compressedSize' | 'size'>>;
  /** Listed in the central directory only: its local header lives inside another entry's data. */
  centralOnly?: boolean;
  /** Written, but left out of the central directory. */
  localOnly?: boolean;
}

const encoder = new TextEncoder();
const bytesOf = (content: Uint8Array | string) => (typeof content === 'string' ? encoder.encode(content) : content);

export function part(name: string, content: Uint8Array | string, method: 'stored' | 'deflated' = 'deflated'): ForgedEntry {
  const raw = bytesOf(content);
  const data = method === 'stored' ? raw : new Uint8Array(deflateRawSync(raw));
  return { name, flags: 0, method: method === 'stored' ? 0 : 8, crc: crc32(raw), compressedSize: data.byteLength, size: raw.byteLength, extra: new Uint8Array(0), data };
}

/** A part whose deflate stream is given already, e.g. a bomb streamed in chunks. */
export function deflatedPart(name: string, data: Uint8Array, size: number, crc: number): ForgedEntry {
  return { name, flags: 0, method: 8, crc, compressedSize: data.byteLength, size, extra: new Uint8Array(0), data };
}

class Writer {
  private readonly chunks: Uint8Array[] = [];
  length = 0;
  u16(value: number): this {
    return this.raw(new Uint8Array([value & 0xff, (value >>> 8) & 0xff]));
  }
  u32(value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    return this.raw(bytes);
  }
  u64(value: number): this {
    return this.u32(value % 2 ** 32).u32(Math.floor(value / 2 ** 32));
  }
  raw(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.byteLength;
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.byteLength;
    }
    return out;
  }
}

/** A ZIP64 extra field holding the given 64-bit values (uncompressed size first, then compressed size, offset). */
export function zip64Extra(...values: number[]): Uint8Array {
  const writer = new Writer().u16(0x0001).u16(values.length * 8);
  for (const value of values) writer.u64(value);
  return writer.finish();
}

/** The local header and data of one entry, as they are written into the file. */
export function localRecord(entry: ForgedEntry): Uint8Array {
  const header = { ...entry, ...entry.local };
  const name = encoder.encode(header.name);
  const flags = entry.descriptor ? header.flags | 0x0008 : header.flags;
  const writer = new Writer().u32(0x04034b50).u16(20).u16(flags).u16(header.method).u16(0).u16(0x21);
  if (entry.descriptor && !entry.local) writer.u32(0).u32(0).u32(0);
  else writer.u32(header.crc).u32(header.compressedSize).u32(header.size);
  writer.u16(name.byteLength).u16(header.extra.byteLength).raw(name).raw(header.extra).raw(entry.data);
  if (entry.descriptor) {
    const described = { crc: entry.crc, compressedSize: entry.compressedSize, size: entry.size, ...entry.descriptor };
    writer.u32(0x08074b50).u32(described.crc).u32(described.compressedSize).u32(described.size);
  }
  return writer.finish();
}

function centralRecord(entry: ForgedEntry, offset: number): Uint8Array {
  const header = { ...entry, ...entry.central };
  const name = encoder.encode(header.name);
  const flags = entry.descriptor ? header.flags | 0x0008 : header.flags;
  return new Writer()
    .u32(0x02014b50)
    .u16(20)
    .u16(20)
    .u16(flags)
    .u16(header.method)
    .u16(0)
    .u16(0x21)
    .u32(header.crc)
    .u32(header.compressedSize)
    .u32(header.size)
    .u16(name.byteLength)
    .u16(header.extra.byteLength)
    .u16(0)
    .u16(0)
    .u16(0)
    .u32(0)
    .u32(offset)
    .raw(name)
    .raw(header.extra)
    .finish();
}

export interface ZipTrailer {
  /** Writes the ZIP64 end record and locator; `allOnes` sets the classic end record's fields to 0xffff…, as when they overflow. */
  zip64?: { allOnes: boolean; entries?: number };
}

export function forgeZip(entries: ForgedEntry[], trailer: ZipTrailer = {}): Uint8Array {
  const writer = new Writer();
  const offsets: number[] = [];
  for (const entry of entries) {
    offsets.push(writer.length);
    if (!entry.centralOnly) writer.raw(localRecord(entry));
  }
  const directoryOffset = writer.length;
  const listed = entries.filter((entry) => !entry.localOnly);
  entries.forEach((entry, index) => {
    if (!entry.localOnly) writer.raw(centralRecord(entry, entry.central?.offset?.(offsets) ?? offsets[index]!));
  });
  const directorySize = writer.length - directoryOffset;
  const count = { entries: listed.length, size: directorySize, offset: directoryOffset };
  if (trailer.zip64) {
    const recordAt = writer.length;
    const entryCount = trailer.zip64.entries ?? listed.length;
    writer.u32(0x06064b50).u64(44).u16(45).u16(45).u32(0).u32(0).u64(entryCount).u64(entryCount).u64(directorySize).u64(directoryOffset);
    writer.u32(0x07064b50).u32(0).u64(recordAt).u32(1);
    if (trailer.zip64.allOnes) Object.assign(count, { entries: 0xffff, size: 0xffffffff, offset: 0xffffffff });
  }
  writer.u32(0x06054b50).u16(0).u16(0).u16(count.entries).u16(count.entries).u32(count.size).u32(count.offset).u16(0);
  return writer.finish();
}

/** The parts of an honest one-sheet workbook (as the report writer makes it) with a uid header. */
export function workbookParts(rows: string[][]): ForgedEntry[] {
  const writer = new XlsxWriter('Sheet1', ['uid', 'first name', 'last name']);
  for (const row of rows) writer.addRow(row);
  return Object.entries(unzipSync(writer.finish())).map(([name, content]) => part(name, content));
}

export const sheetPath = 'xl/worksheets/sheet1.xml';

/** The parts of a workbook whose first sheet is the given XML, for sheets no writer would make. */
export function workbookWithSheetXml(sheetXml: string): ForgedEntry[] {
  return workbookParts([]).map((entry) => (entry.name === sheetPath ? part(sheetPath, sheetXml) : entry));
}

/** Sheet XML with inline-string cells; `rows` maps a 1-based row number to its cells from column A. */
export function sheetXml(rows: ReadonlyMap<number, string[]>, dimension?: string): string {
  const column = (index: number) => String.fromCharCode(65 + index);
  const body = [...rows]
    .map(([row, cells]) => `<row r="${row}">${cells.map((text, index) => `<c r="${column(index)}${row}" t="inlineStr"><is><t>${text}</t></is></c>`).join('')}</row>`)
    .join('');
  const dimensionTag = dimension ? `<dimension ref="${dimension}"/>` : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${dimensionTag}<sheetData>${body}</sheetData></worksheet>`;
}
