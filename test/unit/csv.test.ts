import { csvRecords, decodeText } from '../../shared/excel/csv';
import { ImportFileError, importLimits, readInvitationRows } from '../../shared/excel/read';

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Windows-1252 for the characters these tests use (Latin-1, plus € and œ where 1252 differs from it). */
const windows1252 = (text: string) => Uint8Array.from(text, (char) => ({ '€': 0x80, œ: 0x9c, Œ: 0x8c })[char] ?? char.charCodeAt(0));
const records = (text: string, separator: ',' | ';' | '\t' = ',') => [...csvRecords(text, separator)].map((record) => record.cells);
const read = (bytes: Uint8Array) => readInvitationRows(bytes);
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportFileError) return { code: error.code, message: error.message };
    throw error;
  }
  return undefined;
};

describe('the CSV text is decoded as Excel writes it', () => {
  it('UTF-8 with or without a BOM', () => {
    expect(decodeText(utf8('\uFEFFuid;Prénom\n'))).toBe('uid;Prénom\n');
    expect(decodeText(utf8('uid;Prénom\n'))).toBe('uid;Prénom\n');
  });

  it('Windows-1252 when the bytes are not valid UTF-8 (French Excel\'s "CSV (séparateur: point-virgule)")', () => {
    expect(decodeText(windows1252('Prénom;Nom\r\nHélène;Lœuvre €\r\n'))).toBe('Prénom;Nom\r\nHélène;Lœuvre €\r\n');
  });

  it('bytes with control characters are no text', () => {
    expect(decodeText(new Uint8Array([0x75, 0x69, 0x64, 0x00, 0x0a]))).toBeUndefined();
    expect(refusal(() => read(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))).toMatchObject({ code: 'not_xlsx' });
  });

  it('a BOM before bytes that are not UTF-8 is unreadable', () => {
    expect(refusal(() => read(new Uint8Array([0xef, 0xbb, 0xbf, 0x75, 0xe9, 0x0a])))).toMatchObject({ code: 'unreadable' });
  });
});

describe('the CSV parser (RFC 4180 as Excel writes it)', () => {
  it('quoted cells hold separators, doubled quotes and line breaks', () => {
    expect(records('a,"b,c","say ""hi""","two\nlines"\n')).toEqual([['a', 'b,c', 'say "hi"', 'two\nlines']]);
    expect(records('"x\r\ny";z\r\n', ';')).toEqual([['x\r\ny', 'z']]);
  });

  it('CRLF, LF and CR end lines; empty cells and blank lines are kept', () => {
    expect(records('a,b\r\nc,d\ne,f\rg,\n\nh')).toEqual([['a', 'b'], ['c', 'd'], ['e', 'f'], ['g', ''], [''], ['h']]);
  });

  it('records count the lines they start on', () => {
    expect([...csvRecords('a\n"b\nc"\nd', ',')].map((record) => record.line)).toEqual([1, 2, 4]);
  });

  it('text after a closing quote and a quote inside an unquoted cell are kept', () => {
    expect(records('"ab"c,d"e\n')).toEqual([['abc', 'd"e']]);
  });

  it('an unterminated quote is unreadable, with the line it opens on', () => {
    expect(refusal(() => records('uid,name\nE1,"Ann\nE2,Bob\n'))).toEqual({ code: 'unreadable', message: 'Line 2 of the CSV file opens a quoted cell that is never closed.' });
  });

  it('a 10 MiB file of one quoted cell is refused at the cell limit, quickly', () => {
    const huge = `uid\n"${'x'.repeat(importLimits.maxBytes - 8)}"\n`;
    const started = performance.now();
    expect(refusal(() => read(utf8(huge)))).toEqual({ code: 'unreadable', message: `Line 2 of the CSV file has a cell longer than ${importLimits.csv.maxCellChars} characters.` });
    expect(refusal(() => read(utf8(`uid\n${'y'.repeat(importLimits.maxBytes - 8)}\n`)))?.code).toBe('unreadable');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a line of more cells than the limit is unreadable', () => {
    expect(refusal(() => records(`uid${','.repeat(importLimits.csv.maxCellsPerLine)}\n`))?.code).toBe('unreadable');
  });
});

describe('a CSV import', () => {
  it('detects ";", "," and tab from the header, and keeps cells as typed', () => {
    for (const separator of [';', ',', '\t']) {
      const file = utf8(['uid', 'first name', 'last name'].join(separator) + '\n' + ['000123', 'Ann', 'Lee, Jr'].join(separator) + '\n');
      const expected = separator === ',' ? 'Lee' : 'Lee, Jr';
      expect(read(file).rows[0]).toMatchObject({ row: 2, uid: '000123', firstName: 'Ann', lastName: expected });
    }
    expect(read(utf8('uid;name,with comma;nom\nE1;x,y;Lee\n'))).toMatchObject({ format: 'csv', rows: [{ uid: 'E1', lastName: 'Lee' }], ignoredColumns: ['name,with comma'] });
  });

  it('a French Windows-1252 file with "Prénom;Nom" reads its accents', () => {
    const file = windows1252('Matricule;Prénom;Nom\r\n42;Hélène;Lœuvre\r\n');
    expect(read(file)).toEqual({ format: 'csv', rows: [{ row: 2, uid: '42', firstName: 'Hélène', lastName: 'Lœuvre', role: '', groups: '' }], ignoredColumns: [] });
  });

  it('rows are numbered by record, a quoted line break staying in its row; blank lines count and are skipped', () => {
    const rows = read(utf8('\uFEFFuid,first name\r\nE1,"Anne\r\nMarie"\r\n\r\nE2,Bob\r\n')).rows;
    expect(rows).toEqual([
      { row: 2, uid: 'E1', firstName: 'Anne\r\nMarie', lastName: '', role: '', groups: '' },
      { row: 4, uid: 'E2', firstName: 'Bob', lastName: '', role: '', groups: '' },
    ]);
  });

  it(`${importLimits.maxRows} rows read; one more is too_many_rows`, () => {
    const lines = (count: number) => utf8(`uid\n${Array.from({ length: count }, (_, index) => `E${index}`).join('\n')}\n`);
    expect(read(lines(importLimits.maxRows)).rows).toHaveLength(importLimits.maxRows);
    expect(refusal(() => read(lines(importLimits.maxRows + 1)))?.code).toBe('too_many_rows');
  });

  it('an empty file, and one with no uid column', () => {
    expect(refusal(() => read(utf8('\n;;\n')))?.code).toBe('empty_sheet');
    expect(refusal(() => read(utf8('name;city\nAnn;Paris\n')))?.code).toBe('no_uid_column');
  });

  it('flat XML and HTML are not taken for a CSV', () => {
    expect(refusal(() => read(utf8('<?xml version="1.0"?><office:document/>')))?.code).toBe('not_xlsx');
    expect(refusal(() => read(utf8('  <html><table><tr><td>uid</td></tr></table></html>')))?.code).toBe('not_xlsx');
  });
});
