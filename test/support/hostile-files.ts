import type { FileProblem } from '../../shared/excel/file-error';
import { importLimits } from '../../shared/excel/limits';
import { deflatedPart, forgeZip, localRecord, part, sheetPath, sheetXml, workbookParts, zip64Extra, type ForgedEntry } from './zip-forge';

/**
 * One file of each class of hostile archive issue 11 names, built in code, with the code the
 * import must fail with. Shared by the unit tests, the memory test and the integration test.
 */
export interface HostileFile {
  name: string;
  file: Uint8Array;
  code: FileProblem;
}

const MiB = 1024 * 1024;
const rows = [['E1', 'Ann', 'A'], ['E2', 'Bob', 'B']];

/** Replaces the sheet of an honest workbook by what `change` makes of it. */
function withSheet(change: (sheet: ForgedEntry) => ForgedEntry | ForgedEntry[]): Uint8Array {
  return forgeZip(workbookParts(rows).flatMap((entry) => (entry.name === sheetPath ? change(entry) : [entry])));
}

/** Central directory and local header both declare `size` through ZIP64 fields; the data is the honest sheet. */
export function zip64SizeLie(size: number): Uint8Array {
  return withSheet((sheet) => ({
    ...sheet,
    local: { size: 0xffffffff, compressedSize: 0xffffffff, extra: zip64Extra(size, sheet.compressedSize) },
    central: { size: 0xffffffff, extra: zip64Extra(size) },
  }));
}

/** A sheet whose XML unpacks to about `bytes`: many rows of one short cell. */
export function bigSheet(bytes: number): ForgedEntry {
  const row = '<row><c t="inlineStr"><is><t>E1</t></is></c></row>';
  return part(sheetPath, sheetXml(new Map([[1, ['uid']]])).replace('</sheetData>', `${row.repeat(Math.ceil(bytes / row.length))}</sheetData>`));
}

/**
 * A stored part whose data is the local record of a 64 MiB sheet. With `listed`, the central
 * directory lists both (they overlap); without, only the sheet inside (the outer part hides it
 * from the directory, as the sheet hides from a reader of local headers).
 */
export function hiddenSheet(listed: boolean): Uint8Array {
  const hidden = bigSheet(64 * MiB);
  const cover = { ...part('xl/media/image1.png', localRecord(hidden), 'stored'), localOnly: !listed };
  const parts = workbookParts(rows).filter((entry) => entry.name !== sheetPath);
  const coverIndex = parts.length;
  const headerLength = 30 + cover.name.length;
  return forgeZip([...parts, cover, { ...hidden, centralOnly: true, central: { offset: (offsets) => offsets[coverIndex]! + headerLength } }]);
}

/**
 * A deflate stream of `size` zero bytes, written by hand with the fixed Huffman codes of
 * RFC 1951 (one literal 0, then copies of 258 bytes at distance 1): quick to build, and the
 * test process never holds the zeros.
 */
export function zerosDeflated(size: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((3 + 8 * 259 + 13 * Math.ceil(size / 258) + 7) / 8));
  let bit = 0;
  const write = (value: number, length: number) => {
    for (let index = 0; index < length; index++, bit++) if ((value >>> index) & 1) out[bit >>> 3]! |= 1 << (bit & 7);
  };
  // Huffman codes go most significant bit first.
  const code = (value: number, length: number) => {
    for (let index = length - 1; index >= 0; index--) write((value >>> index) & 1, 1);
  };
  write(1, 1); // last block
  write(1, 2); // fixed Huffman codes
  const literalZero = () => code(0b00110000, 8);
  literalZero();
  let left = size - 1;
  for (; left >= 258; left -= 258) {
    code(0b11000101, 8); // length 258
    code(0, 5); // distance 1
  }
  for (; left > 0; left--) literalZero();
  code(0, 7); // end of block
  return out.subarray(0, Math.ceil(bit / 8));
}

/** Declares (everywhere) a 2 KiB sheet whose deflate stream unpacks to `size` bytes. */
export function bombDeclaringLittle(size: number): Uint8Array {
  return withSheet(() => deflatedPart(sheetPath, zerosDeflated(size), 2048, 0x12345678));
}

export function hostileFiles(): HostileFile[] {
  return [
    { name: 'ZIP64 fields declaring 300 MB', file: zip64SizeLie(300_000_000), code: 'archive_too_large' },
    { name: 'ZIP64 fields declaring 1 GiB', file: zip64SizeLie(2 ** 30), code: 'archive_too_large' },
    { name: 'ZIP64 fields declaring 4 GiB', file: zip64SizeLie(4 * 2 ** 30), code: 'archive_too_large' },
    { name: 'ZIP64 fields declaring 10 MiB under the limit, for a 1 KiB sheet', file: zip64SizeLie(10 * MiB), code: 'archive_inconsistent' },
    { name: 'a 64 MiB sheet hidden in the data of a part the directory leaves out', file: hiddenSheet(false), code: 'archive_inconsistent' },
    { name: 'two listed entries sharing bytes (a 64 MiB sheet inside a stored part)', file: hiddenSheet(true), code: 'archive_inconsistent' },
    { name: 'two entries with the same name', file: withSheet((sheet) => [sheet, { ...part(sheetPath.toUpperCase(), sheetXml(new Map([[1, ['uid']], [2, ['X']]]))) }]), code: 'archive_inconsistent' },
    { name: 'a local header naming another part than the directory', file: withSheet((sheet) => ({ ...sheet, local: { name: 'xl/worksheets/sheet9.xml' } })), code: 'archive_inconsistent' },
    { name: 'a data descriptor lying about the size', file: withSheet((sheet) => ({ ...sheet, descriptor: { size: sheet.size + 1 } })), code: 'archive_inconsistent' },
    { name: 'a data descriptor lying about the checksum', file: withSheet((sheet) => ({ ...sheet, descriptor: { crc: (sheet.crc + 1) >>> 0 } })), code: 'archive_inconsistent' },
    {
      name: 'a data descriptor and directory agreeing on 1 KiB for a 5 MiB sheet',
      file: withSheet(() => {
        const big = bigSheet(5 * MiB);
        return { ...big, size: 1024, descriptor: {} };
      }),
      code: 'archive_inconsistent',
    },
    { name: 'a deflate stream of 1 GiB declaring 2 KiB', file: bombDeclaringLittle(2 ** 30), code: 'archive_too_large' },
    { name: `more than ${importLimits.maxEntries} entries`, file: forgeZip([...workbookParts(rows), ...Array.from({ length: importLimits.maxEntries }, (_, index) => part(`x/${index}`, ''))]), code: 'too_many_entries' },
  ];
}

/**
 * The costliest file for SheetJS that passes every limit: a styles part flooded with cell
 * formats (about 20 bytes of memory per unpacked byte), up to just under maxUnpackedBytes.
 */
export function styleFloodAtTheLimit(): Uint8Array {
  const parts = workbookParts(rows);
  const others = parts.filter((entry) => entry.name !== stylesPath).reduce((total, entry) => total + entry.size, 0);
  const format = '<xf numFmtId="0"/>';
  const count = Math.floor((importLimits.maxUnpackedBytes - others - 200) / format.length);
  const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>${format.repeat(count)}</cellXfs></styleSheet>`;
  return forgeZip(parts.map((entry) => (entry.name === stylesPath ? part(stylesPath, styles) : entry)));
}

const stylesPath = 'xl/styles.xml';
