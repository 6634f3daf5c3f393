import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { readWorkbookArchive } from '../../shared/excel/archive';
import { checkCompoundFile, refuseCostlyRecords } from '../../shared/excel/compound';
import { countOdsItems } from '../../shared/excel/ods-parts';
import { headerKey, ImportFileError, importLimits, readInvitationRows, type SheetRead } from '../../shared/excel/read';
import { hostileOdsFiles, odsParts } from '../support/hostile-files';
import { forgeZip, part, workbookParts } from '../support/zip-forge';

const fixture = (name: string) => new Uint8Array(readFileSync(join(__dirname, '..', 'fixtures', name)));
const codeOf = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    if (error instanceof ImportFileError) return error.code;
    throw error;
  }
  return 'read';
};
const people = (read: SheetRead) => read.rows.map((row) => [row.uid, row.firstName, row.lastName]);
const sheetJs = (rows: string[][], bookType: XLSX.BookType) => {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet(rows), 'Personnel');
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['uid'], ['OTHER']]), 'Other');
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType }));
};
const french = [
  ['000123', 'Hélène', 'Dupont-Durand'],
  ['E2', 'François', 'Œuvray'],
];

describe('headers are matched without case, spaces, accents or punctuation', () => {
  it('keys', () => {
    expect(['Prénom', 'PRENOM', ' prénom ', 'first_name', 'First Name', 'N° Matricule', 'Employee-ID'].map(headerKey)).toEqual(['prenom', 'prenom', 'prenom', 'firstname', 'firstname', 'nmatricule', 'employeeid']);
  });

  it.each([
    ['uid', 'first name', 'last name'],
    ['Identifiant', 'Prénom', 'Nom'],
    ['MATRICULE', 'prenom', 'Nom de famille'],
    ['Employee ID', 'Given Name', 'Surname'],
    ['employee_number', 'FirstName', 'Family-Name'],
    ['U.I.D.', 'first-name', 'LAST NAME'],
  ])('%s, %s, %s', (...header) => {
    const read = readInvitationRows(new TextEncoder().encode(`${header.join(';')}\nE1;Ann;Lee\n`));
    expect(read.rows).toEqual([{ row: 2, uid: 'E1', firstName: 'Ann', lastName: 'Lee', role: '', groups: '' }]);
  });

  it('role and groups are read as raw text; unknown and repeated columns are listed as written, in column order', () => {
    const read = readInvitationRows(new TextEncoder().encode('Service;Matricule;Rôle;E-mail;Groupes;Nom;matricule;\nPaie;E1;invité;a@b.c;Paie, RH;Lee;X;\n'));
    expect(read).toEqual({ format: 'csv', rows: [{ row: 2, uid: 'E1', firstName: '', lastName: 'Lee', role: 'invité', groups: 'Paie, RH' }], ignoredColumns: ['Service', 'E-mail', 'matricule'] });
  });

  it('the header is looked for in the first rows only', () => {
    const lines = (blank: number) => new TextEncoder().encode(`${'title\n'.repeat(blank)}uid\nE1\n`);
    expect(readInvitationRows(lines(importLimits.headerSearchRows - 1)).rows).toEqual([expect.objectContaining({ row: importLimits.headerSearchRows + 1, uid: 'E1' })]);
    expect(codeOf(() => readInvitationRows(lines(importLimits.headerSearchRows)))).toBe('no_uid_column');
  });
});

describe('each format, as other programs write it, is told from its bytes', () => {
  it('LibreOffice Calc 7.4: .xlsx, .ods, .xls and the CSV they were made from', () => {
    for (const [name, format] of [
      ['libreoffice-french.xlsx', 'xlsx'],
      ['libreoffice-french.ods', 'ods'],
      ['libreoffice-french.xls', 'xls'],
      ['libreoffice-french.csv', 'csv'],
    ] as const) {
      const read = readInvitationRows(fixture(name));
      expect({ name, format: read.format, people: people(read), ignored: read.ignoredColumns }).toEqual({ name, format, people: french, ignored: ['Service'] });
    }
    for (const name of ['libreoffice-invitations.ods', 'libreoffice-invitations.xls']) expect(readInvitationRows(fixture(name)).rows.map((row) => row.uid)).toEqual(['Calc1', 'C2', '000123']);
  });

  it('SheetJS: .xls as BIFF8 (bookType xls and biff8) and .ods; the first sheet only', () => {
    const rows = [['Identifiant', 'Prénom', 'Nom', 'Rôle'], ['E1', 'Zoë', 'Núñez', 'membre'], ['00042', 'Ana', 'Lee', '']];
    for (const bookType of ['xls', 'biff8', 'ods'] as const) {
      const read = readInvitationRows(sheetJs(rows, bookType));
      expect(read).toEqual({
        format: bookType === 'ods' ? 'ods' : 'xls',
        rows: [
          { row: 2, uid: 'E1', firstName: 'Zoë', lastName: 'Núñez', role: 'membre', groups: '' },
          { row: 3, uid: '00042', firstName: 'Ana', lastName: 'Lee', role: '', groups: '' },
        ],
        ignoredColumns: [],
      });
    }
  });

  it('exceljs: .xlsx with French headers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Personnel');
    sheet.addRow(['Matricule', 'Prénom', 'Nom', 'Poste']);
    sheet.addRow(['000123', 'Hélène', 'Dupont-Durand', 'Paie']);
    const read = readInvitationRows(new Uint8Array(await workbook.xlsx.writeBuffer()));
    expect(read).toMatchObject({ format: 'xlsx', ignoredColumns: ['Poste'] });
    expect(people(read)).toEqual([french[0]]);
  });

  it('a mimetype entry alone does not make an .xlsx an .ods; a manifest does, as for SheetJS', () => {
    expect(readInvitationRows(forgeZip([...workbookParts([['E1', 'Ann', 'Lee']]), part('mimetype', 'text/plain', 'stored')]))).toMatchObject({ format: 'xlsx', rows: [{ uid: 'E1' }] });
    expect(readWorkbookArchive(forgeZip(odsParts().filter((entry) => entry.name !== 'mimetype'))).format).toBe('ods');
  });

  it('SheetJS is given only manifest, styles and content of an .ods: not meta.xml, manifest.rdf, settings or thumbnails', () => {
    const names = (file: Uint8Array) => readWorkbookArchive(file).entries.map((entry) => entry.name).sort();
    expect(names(forgeZip(odsParts()))).toEqual(['META-INF/manifest.xml', 'content.xml', 'styles.xml']);
    expect(names(fixture('libreoffice-french.ods'))).toEqual(['META-INF/manifest.xml', 'content.xml', 'styles.xml']);
  });
});

describe('hostile .ods files are refused like .xlsx ones', () => {
  it.each(hostileOdsFiles().map((hostile) => [hostile.name, hostile] as const))('%s', (_name, hostile) => {
    expect(codeOf(() => readInvitationRows(hostile.file))).toBe(hostile.code);
  });

  it('cells are counted as SheetJS expands them; empty cells are not', () => {
    const encode = (xml: string) => new TextEncoder().encode(xml);
    const xml =
      '<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="float" table:number-columns-repeated="4"><text:p>1</text:p></table:table-cell>' +
      '<table:table-cell table:number-columns-repeated="1000"/><table:table-cell table:number-columns-repeated="50"></table:table-cell></table:table-row>' +
      '<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>' +
      '<table:table-row><table:table-cell><text:p>x</text:p></table:table-cell><table:table-cell office:value-type="string" office:string-value="y"/></table:table-row>';
    expect(countOdsItems(encode(xml))).toEqual({ rows: 4, cells: 14, elements: 11 });
  });
});

describe('hostile .xls files are refused before SheetJS reads them', () => {
  const honest = () => sheetJs([['uid'], ['E1']], 'xls');
  const patched = (change: (view: DataView, bytes: Uint8Array) => void) => {
    const bytes = honest();
    change(new DataView(bytes.buffer), bytes);
    return bytes;
  };
  const directoryAt = (view: DataView) => (view.getUint32(48, true) + 1) * 512;
  /** The directory entry named `name` (entries are 128 bytes, names UTF-16). */
  const entryAt = (view: DataView, name: string) => {
    const start = directoryAt(view);
    for (let at = start; at < start + 512; at += 128) {
      const length = view.getUint16(at + 64, true);
      const text = String.fromCharCode(...Array.from({ length: Math.max(0, length / 2 - 1) }, (_, index) => view.getUint16(at + index * 2, true)));
      if (text === name) return at;
    }
    throw new Error(`no entry ${name}`);
  };

  it('the honest file reads', () => {
    expect(readInvitationRows(honest()).rows.map((row) => row.uid)).toEqual(['E1']);
  });

  it.each<[string, (view: DataView, bytes: Uint8Array) => void, string]>([
    ['a header counting 2^31 allocation sectors', (view) => view.setUint32(44, 0x7fffffff, true), 'archive_inconsistent'],
    ['a header counting more DIFAT sectors than the file has', (view) => view.setUint32(72, 100_000, true), 'archive_inconsistent'],
    ['a directory starting past the end of the file', (view) => view.setUint32(48, 1_000_000, true), 'archive_inconsistent'],
    ['a directory chain that loops', (view) => view.setUint32((view.getUint32(76, true) + 1) * 512 + view.getUint32(48, true) * 4, view.getUint32(48, true), true), 'archive_inconsistent'],
    ['a directory tree that loops', (view) => view.setUint32(directoryAt(view) + 76, 0, true), 'archive_inconsistent'],
    ['a workbook stream declared larger than the file', (view, bytes) => view.setUint32(entryAt(view, 'Workbook') + 120, bytes.byteLength + 1, true), 'archive_inconsistent'],
    ['a workbook stream declared longer than its chain', (view, bytes) => view.setUint32(entryAt(view, 'Workbook') + 120, bytes.byteLength - 1024, true), 'archive_inconsistent'],
    ['an unknown version', (view) => view.setUint16(26, 5, true), 'archive_inconsistent'],
  ])('%s', (_name, change, code) => {
    expect(codeOf(() => readInvitationRows(patched(change)))).toBe(code);
  });

  it('a file cut short, and a compound file with no workbook (a Word document)', () => {
    expect(codeOf(() => readInvitationRows(honest().subarray(0, 300)))).toBe('unreadable');
    const container = XLSX.CFB.utils.cfb_new();
    XLSX.CFB.utils.cfb_add(container, 'WordDocument', new Uint8Array(5000));
    expect(codeOf(() => readInvitationRows(new Uint8Array(XLSX.CFB.write(container, { type: 'array' }) as ArrayBuffer)))).toBe('not_xlsx');
  });

  it('cell records are counted (MULRK as its cells) and shared strings as declared, before SheetJS makes objects of them', () => {
    const items = { ...importLimits.partItems, sheetCells: 10, sharedStrings: 5 };
    expect(codeOf(() => checkCompoundFile(honest(), { ...importLimits, partItems: items }))).toBe('read');
    const record = (type: number, body: number[]) => [type & 0xff, type >> 8, body.length & 0xff, body.length >> 8, ...body];
    const mulRk = record(0x00bd, new Array(6 + 6 * 11).fill(0));
    expect(codeOf(() => refuseCostlyRecords(new Uint8Array(mulRk), items))).toBe('archive_too_large');
    const sst = record(0x00fc, [0, 0, 0, 0, 6, 0, 0, 0]);
    expect(codeOf(() => refuseCostlyRecords(new Uint8Array(sst), items))).toBe('archive_too_large');
    expect(codeOf(() => refuseCostlyRecords(new Uint8Array([...record(0x0203, new Array(14).fill(0)), 0x03, 0x02, 0xff, 0x00, 1]), items))).toBe('archive_inconsistent');
  });
});
