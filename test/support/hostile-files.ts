import type { FileProblem } from '../../shared/excel/file-error';
import { importLimits } from '../../shared/excel/limits';
import { crc32, inflateRawSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
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
    { name: 'a styles part past its budget', file: stylesFlood(importLimits.partBudgets.styles + 64 * 1024), code: 'archive_too_large' },
    { name: 'shared strings flooded with tiny strings (24 MiB of <si><t/></si>)', file: sharedStringsFlood('<si><t/></si>', 24 * MiB), code: 'archive_too_large' },
    { name: 'shared strings past their budget', file: sharedStringsFlood(`<si><t>${'x'.repeat(100)}</t></si>`, importLimits.partBudgets.sharedStrings + MiB), code: 'archive_too_large' },
    { name: 'a sheet flooded with cells holding a number', file: sheetFlood(rowOfCells('<c><v>1</v></c>'), importLimits.partBudgets.sheet), code: 'archive_too_large' },
    { name: 'a sheet flooded with rows of one cell', file: sheetFlood('<row><c><v>1</v></c></row>', importLimits.partBudgets.sheet), code: 'archive_too_large' },
    { name: 'a sheet past its budget', file: withSheet(() => bigSheet(importLimits.partBudgets.sheet + MiB)), code: 'archive_too_large' },
    { name: 'the sheet named as the styles part too', file: sheetNamedAsStyles(), code: 'archive_inconsistent' },
  ];
}

/** Files that are costly for SheetJS but within every budget, built on demand, with the outcome the read must have. */
export interface CostlyFile {
  name: string;
  build: () => Uint8Array | Promise<Uint8Array>;
  /** `rows:<count>` or the code of the refusal. */
  outcome: string;
}

export function costlyFiles(): CostlyFile[] {
  const { partBudgets: budgets, partItems: items } = importLimits;
  return [
    { name: 'the styles part flooded with cell formats up to its budget', build: () => stylesFlood(budgets.styles - 1024), outcome: 'rows:2' },
    {
      name: 'the content types, workbook and its relationships flooded up to their budgets',
      build: () => forgeZip(workbookParts(rows).map((entry) => floodedStructure(entry) ?? entry)),
      outcome: 'rows:2',
    },
    { name: `${items.sharedStrings} tiny shared strings (<si><t/></si>)`, build: () => sharedStringsFlood('<si><t/></si>', (items.sharedStrings - 10) * 13), outcome: 'rows:2' },
    { name: 'a sheet of empty cells up to its budget', build: () => sheetFlood(rowOfCells('<c/>'), budgets.sheet - 1024), outcome: 'rows:0' },
    { name: 'a sheet of empty rows up to its budget', build: () => sheetFlood('<row/>', budgets.sheet - 1024), outcome: 'rows:0' },
    { name: 'every part at its limit: styles, shared strings, a sheet of text cells', build: () => everyPartAtItsLimit('text'), outcome: 'too_many_rows' },
    { name: 'every part at its limit: styles, shared strings, a sheet of number and empty cells', build: () => everyPartAtItsLimit('number'), outcome: 'too_many_rows' },
    { name: `${importLimits.maxEntries} entries, most of them tiny parts SheetJS is not given`, build: () => withParts(Array.from({ length: importLimits.maxEntries - 6 }, (_, index) => part(`xl/media/image${index}.png`, 'x'.repeat(index)))), outcome: 'rows:2' },
    { name: 'a 1 GiB docProps part, honestly declared, never inflated', build: () => withParts([unreadPart('docProps/custom.xml', 2 ** 30)]), outcome: 'rows:2' },
    { name: 'a media part inflating to 1 GiB while declaring 2 KiB, never inflated', build: () => withParts([unreadPart('xl/media/image1.png', 2 ** 30, 2048)]), outcome: 'rows:2' },
  ];
}

const stylesPath = 'xl/styles.xml';

const MiBytes = 1024 * 1024;
const sharedStringsPath = 'xl/sharedStrings.xml';
const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** `unit` repeated to fill about `bytes`. */
const fill = (unit: string, bytes: number) => unit.repeat(Math.max(0, Math.floor(bytes / unit.length)));

/** The honest workbook with its content types changed by `change`, and `extra` parts added. */
function withContentTypes(change: (xml: string) => string, extra: ForgedEntry[] = [], replace: (entry: ForgedEntry) => ForgedEntry = (entry) => entry): Uint8Array {
  const decoder = new TextDecoder();
  return forgeZip([
    ...workbookParts(rows).map((entry) => (entry.name === '[Content_Types].xml' ? part(entry.name, change(decoder.decode(inflateRawSync(entry.data)))) : replace(entry))),
    ...extra,
  ]);
}

const override = (name: string, type: string) => (xml: string) => xml.replace('</Types>', `<Override PartName="/${name}" ContentType="${type}"/></Types>`);
const sharedStringsType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml';

/** A shared strings part of about `bytes` made of `unit`, declared in the content types. */
export function sharedStringsFlood(unit: string, bytes: number): Uint8Array {
  const xml = `<sst xmlns="${main}">${fill(unit, bytes - 100)}</sst>`;
  return withContentTypes(override(sharedStringsPath, sharedStringsType), [part(sharedStringsPath, xml)]);
}

/** A styles part of about `bytes` of cell formats. */
export function stylesFlood(bytes: number): Uint8Array {
  const xml = `<styleSheet xmlns="${main}"><cellXfs>${fill('<xf numFmtId="0"/>', bytes - 200)}</cellXfs></styleSheet>`;
  return forgeZip(workbookParts(rows).map((entry) => (entry.name === stylesPath ? part(stylesPath, xml) : entry)));
}

/** A first sheet of about `bytes`: the header row, then `row` repeated. */
export function sheetFlood(row: string, bytes: number): Uint8Array {
  const xml = sheetXml(new Map([[1, ['uid']]])).replace('</sheetData>', `${fill(row, bytes - 400)}</sheetData>`);
  return withSheet(() => part(sheetPath, xml));
}

/** Rows of 16,000 cells each (under the 16,384 columns a row may have) made of `cell`. */
export const rowOfCells = (cell: string) => `<row>${cell.repeat(16_000)}</row>`;

/** A part SheetJS is never given, `size` bytes of zeros (honest headers unless `declared` lies). */
export function unreadPart(name: string, size: number, declared = size): ForgedEntry {
  let crc = 0;
  const zeros = new Uint8Array(MiBytes);
  for (let left = size; left > 0; left -= zeros.byteLength) crc = crc32(zeros.subarray(0, Math.min(left, zeros.byteLength)), crc);
  return deflatedPart(name, zerosDeflated(size), declared, crc);
}

/** The honest workbook and `extra` parts. */
export const withParts = (extra: ForgedEntry[]) => forgeZip([...workbookParts(rows), ...extra]);

/** The content types name the sheet as the styles part too, so that it would be parsed as styles with the sheet's budget. */
export function sheetNamedAsStyles(): Uint8Array {
  const styles = 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml';
  return withContentTypes(
    (xml) => xml.replace(/<Override PartName="\/xl\/styles.xml"[^>]*\/>/, '').replace('<Override', `<Override PartName="/${sheetPath}" ContentType="${styles}"/><Override`),
    [],
    (entry) => (entry.name === stylesPath ? part('xl/unused-styles.xml', new TextDecoder().decode(inflateRawSync(entry.data))) : entry),
  );
}

/** Pads the last closing tag of `xml` with `unit`, up to about `bytes`. */
const padBefore = (xml: string, closing: string, unit: string, bytes: number) => xml.replace(closing, `${fill(unit, bytes - xml.length - 64)}${closing}`);

/** The content types, workbook and its relationships, each flooded with elements SheetJS keeps up to the structure budget. */
function floodedStructure(entry: ForgedEntry): ForgedEntry | undefined {
  const budget = importLimits.partBudgets.structure;
  const xml = () => new TextDecoder().decode(inflateRawSync(entry.data));
  if (entry.name === '[Content_Types].xml') return part(entry.name, padBefore(xml(), '</Types>', '<Default Extension="x" ContentType="y"/>', budget));
  if (entry.name === 'xl/_rels/workbook.xml.rels') return part(entry.name, padBefore(xml(), '</Relationships>', '<Relationship Id="r" Type="t" Target="x"/>', budget));
  if (entry.name === 'xl/workbook.xml') return part(entry.name, padBefore(xml(), '</workbook>', '<definedName name="n">A1</definedName>', budget).replace('</sheets>', '</sheets><definedNames>').replace('</workbook>', '</definedNames></workbook>'));
  return undefined;
}

/**
 * The costliest file for SheetJS within every budget: the structure parts and styles flooded
 * to their budgets, the most shared strings allowed filling theirs, and a sheet of the most rows
 * and cells with content allowed, `cell` repeated (and its value lengthened) to fill what the
 * total leaves.
 */
export function everyPartAtItsLimit(cell: 'text' | 'number' = 'text'): Uint8Array {
  const { partBudgets: bytes, partItems: items } = importLimits;
  const stringLength = Math.floor((bytes.sharedStrings - 200) / items.sharedStrings) - '<si><t></t></si>'.length;
  const strings = `<sst xmlns="${main}">${`<si><t>${'s'.repeat(stringLength)}</t></si>`.repeat(items.sharedStrings)}</sst>`;
  const cellsPerRow = Math.floor(items.sheetCells / items.sheetRows);
  const header = sheetXml(new Map([[1, ['uid']]]));
  // The sheet gets what the total leaves after the shared strings, styles and the small parts.
  const sheetBytes = Math.min(bytes.sheet, importLimits.maxUnpackedBytes - bytes.sharedStrings - bytes.styles - 3 * bytes.structure - 16 * 1024);
  const room = Math.floor((sheetBytes - header.length - 100) / items.sheetRows) - '<row></row>'.length;
  const perCell = Math.floor(room / cellsPerRow);
  const valueCell = cell === 'text' ? `<c t="str"><v>${'v'.repeat(perCell - '<c t="str"><v></v></c>'.length)}</v></c>` : `<c><v>1</v></c>${'<c/>'.repeat(Math.floor((perCell - 15) / 4))}`;
  // The header row holds one cell with content, so one data row fewer.
  const sheet = header.replace('</sheetData>', `${`<row>${valueCell.repeat(cellsPerRow)}</row>`.repeat(items.sheetRows - 1)}</sheetData>`);
  const styles = `<styleSheet xmlns="${main}"><cellXfs>${fill('<xf numFmtId="0"/>', bytes.styles - 200)}</cellXfs></styleSheet>`;
  const contentTypes = (xml: string) => padBefore(override(sharedStringsPath, sharedStringsType)(xml), '</Types>', '<Default Extension="x" ContentType="y"/>', bytes.structure);
  return withContentTypes(contentTypes, [part(sharedStringsPath, strings)], (entry) =>
    entry.name === sheetPath ? part(sheetPath, sheet) : entry.name === stylesPath ? part(stylesPath, styles) : (floodedStructure(entry) ?? entry),
  );
}

/** The parts of an honest .ods as SheetJS writes it, one sheet with a uid column and two rows. */
export function odsParts(): ForgedEntry[] {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['uid', 'first name', 'last name'], ...rows]), 'Sheet1');
  const files = unzipSync(new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'ods', compression: true })));
  return Object.entries(files).map(([name, content]) => part(name, content, name === 'mimetype' ? 'stored' : 'deflated'));
}

/** An .ods whose part `name` is replaced by what `change` makes of it. */
export function withOdsPart(name: string, change: (entry: ForgedEntry) => ForgedEntry | ForgedEntry[]): Uint8Array {
  return forgeZip(odsParts().flatMap((entry) => (entry.name === name ? change(entry) : [entry])));
}

/** content.xml holding rows of cells with a value, each repeated as SheetJS expands them. */
export function repeatedCells(rowsRepeated: number, columnsRepeated: number): Uint8Array {
  const row = `<table:table-row table:number-rows-repeated="${rowsRepeated}"><table:table-cell office:value-type="string" table:number-columns-repeated="${columnsRepeated}"><text:p>x</text:p></table:table-cell></table:table-row>`;
  return withOdsPart('content.xml', (entry) => part(entry.name, new TextDecoder().decode(inflateRawSync(entry.data)).replace('</table:table>', `${row}</table:table>`)));
}

/** The archive attacks of hostileFiles, aimed at an .ods's content.xml (and the ods-only ones), with the code each must fail with. */
export function hostileOdsFiles(): HostileFile[] {
  const content = 'content.xml';
  return [
    {
      name: 'ZIP64 fields declaring 1 GiB for content.xml',
      file: withOdsPart(content, (entry) => ({ ...entry, local: { size: 0xffffffff, compressedSize: 0xffffffff, extra: zip64Extra(2 ** 30, entry.compressedSize) }, central: { size: 0xffffffff, extra: zip64Extra(2 ** 30) } })),
      code: 'archive_too_large',
    },
    { name: 'a content.xml deflate stream of 1 GiB declaring 2 KiB', file: withOdsPart(content, () => deflatedPart(content, zerosDeflated(2 ** 30), 2048, 0x12345678)), code: 'archive_too_large' },
    { name: 'a content.xml declaring more than its budget', file: withOdsPart(content, () => deflatedPart(content, zerosDeflated(1024), importLimits.partBudgets.content + 1, 0)), code: 'archive_too_large' },
    { name: 'a styles.xml past its budget', file: withOdsPart('styles.xml', (entry) => part(entry.name, `<office:document-styles>${' '.repeat(importLimits.partBudgets.styles)}</office:document-styles>`)), code: 'archive_too_large' },
    { name: 'two entries named content.xml, as SheetJS would confuse them', file: withOdsPart(content, (entry) => [entry, { ...entry, name: 'CONTENT.XML' }]), code: 'archive_inconsistent' },
    { name: 'a local header naming another part than the directory', file: withOdsPart(content, (entry) => ({ ...entry, local: { name: 'contenu.xml' } })), code: 'archive_inconsistent' },
    { name: 'a data descriptor lying about the size of content.xml', file: withOdsPart(content, (entry) => ({ ...entry, descriptor: { size: entry.size + 1 } })), code: 'archive_inconsistent' },
    { name: 'a wrong checksum on content.xml', file: withOdsPart(content, (entry) => ({ ...entry, crc: (entry.crc ^ 1) >>> 0 })), code: 'archive_inconsistent' },
    { name: 'a few bytes of cells repeated into a million', file: repeatedCells(1000, 1000), code: 'archive_too_large' },
    { name: 'one cell repeated down 100,000 rows', file: repeatedCells(100_000, 1), code: 'archive_too_large' },
    {
      name: 'content.xml flooded with number styles past the element count',
      file: withOdsPart(content, (entry) => part(entry.name, new TextDecoder().decode(inflateRawSync(entry.data)).replace('<office:automatic-styles>', `<office:automatic-styles>${'<number:number-style style:name="N"/>'.repeat(importLimits.partItems.contentElements)}`))),
      code: 'archive_too_large',
    },
    { name: `more than ${importLimits.maxEntries} entries`, file: forgeZip([...odsParts(), ...Array.from({ length: importLimits.maxEntries }, (_, index) => part(`Pictures/${index}`, ''))]), code: 'too_many_entries' },
    { name: 'an OpenDocument text, not a spreadsheet', file: withOdsPart('mimetype', (entry) => part(entry.name, 'application/vnd.oasis.opendocument.text', 'stored')), code: 'not_xlsx' },
  ];
}

/** An .ods whose content.xml gets `extra` just before the end of its first table. */
const odsWithRows = (extra: string) => withOdsPart('content.xml', (entry) => part(entry.name, new TextDecoder().decode(inflateRawSync(entry.data)).replace('</table:table>', `${extra}</table:table>`)));

/** .ods files that are costly for SheetJS's OpenDocument reader but within every limit, with the outcome the read must have. */
export function costlyOdsFiles(): CostlyFile[] {
  const { partItems: items } = importLimits;
  const oneCell = (inner: string) => `<table:table-row><table:table-cell office:value-type="string">${inner}</table:table-cell></table:table-row>`;
  return [
    { name: '.ods: one cell of paragraphs up to the element count', build: () => odsWithRows(oneCell('<text:p>a</text:p>'.repeat(items.contentElements - 2_000))), outcome: 'rows:3' },
    { name: '.ods: one cell of annotations up to the element count', build: () => odsWithRows(oneCell(`<text:p>a</text:p>${`<office:annotation><text:p>${'a'.repeat(20)}</text:p></office:annotation>`.repeat(items.contentElements / 2 - 2_000)}`)), outcome: 'rows:3' },
    {
      name: '.ods: cells of 100 characters repeated up to the cell count',
      build: () => odsWithRows(`<table:table-row table:number-rows-repeated="5000"><table:table-cell office:value-type="string" table:number-columns-repeated="${Math.floor(items.sheetCells / 5000) - 1}"><text:p>${'x'.repeat(100)}</text:p></table:table-cell></table:table-row>`),
      outcome: 'rows:5002',
    },
  ];
}
