import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { readArchive } from '../../shared/excel/archive';
import { ImportFileError, importLimits, readInvitationRows } from '../../shared/excel/read';
import { XlsxWriter } from '../../shared/excel/write';
import { countItems } from '../../shared/excel/workbook-parts';
import { bombDeclaringLittle, hostileFiles, stylesFlood, unreadPart, withParts } from '../support/hostile-files';
import { forgeZip, part, sheetPath, workbookParts, type ForgedEntry } from '../support/zip-forge';

const readRows = (bytes: Uint8Array) => readInvitationRows(bytes).rows;

const codeOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof ImportFileError) return error.code;
    throw error;
  }
  return 'read';
};

const rows = [['E1', 'Ann', 'A']];
const changingSheet = (change: (sheet: ForgedEntry) => ForgedEntry | ForgedEntry[]) =>
  forgeZip(workbookParts(rows).flatMap((entry) => (entry.name === sheetPath ? change(entry) : [entry])));

describe('workbooks that office suites and libraries write still read', () => {
  it('LibreOffice', () => {
    expect(readRows(readFileSync(join(__dirname, '..', 'fixtures', 'libreoffice-invitations.xlsx'))).map((row) => row.uid)).toEqual(['Calc1', 'C2', '000123']);
  });

  it('exceljs', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('People');
    sheet.addRow(['UID', 'First Name']);
    sheet.addRow(['E1', 'Ann']);
    expect(readRows(new Uint8Array(await workbook.xlsx.writeBuffer()))).toEqual([{ row: 2, uid: 'E1', firstName: 'Ann', lastName: '', role: '', groups: '' }]);
  });

  it('SheetJS, stored and deflated, and our own writer', () => {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['uid'], ['E1']]), 'S');
    for (const compression of [false, true]) expect(readRows(new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'xlsx', compression })))).toHaveLength(1);
    const writer = new XlsxWriter('S', ['uid']);
    writer.addRow(['E1']);
    expect(readRows(writer.finish())).toEqual([{ row: 2, uid: 'E1', firstName: '', lastName: '', role: '', groups: '' }]);
  });

  it('a workbook forged honestly, with a data descriptor and with ZIP64 fields that tell the truth', () => {
    expect(readRows(forgeZip(workbookParts(rows)))).toHaveLength(1);
    expect(readRows(changingSheet((sheet) => ({ ...sheet, descriptor: {} })))).toHaveLength(1);
    const zip64 = changingSheet((sheet) => ({
      ...sheet,
      local: { size: 0xffffffff, compressedSize: 0xffffffff, extra: new Uint8Array([1, 0, 16, 0, ...u64(sheet.size), ...u64(sheet.compressedSize)]) },
      central: { size: 0xffffffff, extra: new Uint8Array([1, 0, 8, 0, ...u64(sheet.size)]) },
    }));
    expect(readRows(zip64)).toHaveLength(1);
    for (const allOnes of [false, true]) expect(readRows(forgeZip(workbookParts(rows), { zip64: { allOnes } }))).toHaveLength(1);
  });
});

describe('SheetJS is given only the parts it reads for the first sheet', () => {
  const namesGiven = (file: Uint8Array) => readArchive(file).map((entry) => entry.name).sort();

  it('exceljs: content types, workbook, its relationships, styles, shared strings and the first sheet; not themes, docProps, _rels/.rels or other sheets', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('People').addRow(['uid', 'first name']).commit();
    workbook.addWorksheet('Other').addRow(['x']).commit();
    expect(namesGiven(new Uint8Array(await workbook.xlsx.writeBuffer()))).toEqual([
      '[Content_Types].xml',
      'xl/_rels/workbook.xml.rels',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
  });

  it('SheetJS: also the sheet metadata its content types declare (parse_zip fails without it)', () => {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['uid'], ['E1']]), 'S');
    const file = new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'xlsx', compression: true }));
    expect(namesGiven(file)).toEqual(['[Content_Types].xml', 'xl/_rels/workbook.xml.rels', 'xl/metadata.xml', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
  });

  it('the first sheet is found through the workbook relationships, wherever it is', () => {
    const moved = workbookParts(rows).map((entry) => {
      const text = () => new TextDecoder().decode(inflateRawSync(entry.data));
      if (entry.name === sheetPath) return { ...part('xl/data/people.xml', text()) };
      if (entry.name === 'xl/_rels/workbook.xml.rels' || entry.name === '[Content_Types].xml') return part(entry.name, text().replace('worksheets/sheet1.xml', 'data/people.xml'));
      return entry;
    });
    expect(readRows(forgeZip(moved)).map((row) => row.uid)).toEqual(['E1']);
  });

  it('an entry SheetJS is not given is never inflated: a media bomb declaring 2 KiB, with a wrong checksum, does not stop the import', () => {
    expect(readRows(withParts([unreadPart('xl/media/image1.png', 256 * 1024 * 1024, 2048)]))).toHaveLength(2);
  });

  it('a budget passed names the part', () => {
    expect(() => readArchive(stylesFlood(importLimits.partBudgets.styles + 1024))).toThrow(/styles part xl\/styles\.xml unpacks to more than 1048576 bytes/);
  });

  it('shared strings, rows and cells are counted as SheetJS splits them, namespace prefixes or not', () => {
    const encode = (xml: string) => new TextEncoder().encode(xml);
    expect(countItems(encode('<sst><si><t>a</t></si><x:si><t/></x:si><si/></sst>'))).toEqual({ strings: 2, rows: 0, cells: 0 });
    const sheet = '<row r="1"><c r="A1"/><c r="B1"><v>1</v></c><c><v>2</v></c></row><row/><row><c s="1"/></row><x:row><x:c t="s"><x:v>1</x:v></x:c></x:row><cols><col/></cols>';
    expect(countItems(encode(sheet))).toEqual({ strings: 0, rows: 2, cells: 3 });
  });
});

function u64(value: number): number[] {
  return Array.from({ length: 8 }, (_, index) => Math.floor(value / 2 ** (8 * index)) & 0xff);
}

describe('hostile archives are refused with a code before the parser sees them', () => {
  it.each(hostileFiles().map((hostile) => [hostile.name, hostile] as const))('%s', (_name, hostile) => {
    expect(codeOf(() => readRows(hostile.file))).toBe(hostile.code);
  });

  it('a duplicate name, exact or as SheetJS would confuse it', () => {
    for (const twin of ['xl/worksheets/sheet1.xml', '/xl/worksheets/sheet1.xml', 'xl\\worksheets\\Sheet1.xml']) {
      expect(codeOf(() => readArchive(changingSheet((sheet) => [sheet, { ...sheet, name: twin }])))).toBe('archive_inconsistent');
    }
  });

  it('a wrong checksum, or a local header disagreeing on size or checksum', () => {
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, crc: (sheet.crc ^ 1) >>> 0 }))))).toBe('archive_inconsistent');
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, local: { size: sheet.size + 1 } }))))).toBe('archive_inconsistent');
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, local: { crc: 0 } }))))).toBe('archive_inconsistent');
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, local: { method: 0 } }))))).toBe('archive_inconsistent');
  });

  it('a stored entry whose sizes disagree, and a deflate stream longer or shorter than declared', () => {
    expect(codeOf(() => readArchive(forgeZip([{ ...part('a.xml', 'hello', 'stored'), size: 4 }])))).toBe('archive_inconsistent');
    const padded = (sheet: ForgedEntry) => ({ ...sheet, data: new Uint8Array([...sheet.data, 0, 0]), compressedSize: sheet.compressedSize + 2 });
    expect(codeOf(() => readArchive(changingSheet(padded)))).toBe('archive_inconsistent');
    const cut = (sheet: ForgedEntry) => ({ ...sheet, data: sheet.data.subarray(0, 10), compressedSize: 10 });
    expect(codeOf(() => readArchive(changingSheet(cut)))).toBe('unreadable');
  });

  it('a stream that inflates past the sheet budget while declaring little stops at the budget', () => {
    expect(codeOf(() => readArchive(bombDeclaringLittle(importLimits.partBudgets.sheet + 1024 * 1024)))).toBe('archive_too_large');
  });

  it('a central directory pointing at no local header', () => {
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, central: { offset: () => 1 } }))))).toBe('archive_inconsistent');
  });

  it('encryption and compression methods other than stored and deflated', () => {
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, flags: 1 }))))).toBe('unreadable');
    expect(codeOf(() => readArchive(changingSheet((sheet) => ({ ...sheet, method: 12 }))))).toBe('unreadable');
  });

  it('files that are no zip, or cut short, or a zip that is no workbook', () => {
    expect(codeOf(() => readArchive(new TextEncoder().encode('uid\nE1\n')))).toBe('not_xlsx');
    const whole = forgeZip(workbookParts(rows));
    expect(codeOf(() => readArchive(whole.subarray(0, whole.byteLength - 30)))).toBe('unreadable');
    expect(codeOf(() => readArchive(new Uint8Array([...whole, 0])))).toBe('unreadable');
    expect(codeOf(() => readArchive(forgeZip([])))).toBe('not_xlsx');
    expect(codeOf(() => readRows(forgeZip([part('notes.txt', 'hello')])))).toBe('not_xlsx');
    expect(codeOf(() => readRows(forgeZip([...workbookParts(rows), part('Index/Document.iwa', 'x')])))).toBe('not_xlsx');
  });

  it('ZIP64 end records that are missing or declare too many entries', () => {
    const whole = forgeZip(workbookParts(rows), { zip64: { allOnes: true } });
    const withoutLocator = new Uint8Array([...whole.subarray(0, whole.byteLength - 42), ...whole.subarray(whole.byteLength - 22)]);
    expect(codeOf(() => readArchive(withoutLocator))).toBe('unreadable');
    expect(codeOf(() => readArchive(forgeZip(workbookParts(rows), { zip64: { allOnes: true, entries: 2 ** 40 } })))).toBe('too_many_entries');
  });

  it('a file over maxBytes', () => {
    expect(codeOf(() => readArchive(new Uint8Array(11 * 1024 * 1024)))).toBe('file_too_large');
  });
});
