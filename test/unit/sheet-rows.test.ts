import { importLimits } from '../../shared/excel/limits';
import { ImportFileError, readInvitationRows } from '../../shared/excel/read';
import { forgeZip, sheetXml, workbookWithSheetXml } from '../support/zip-forge';

const readRows = (bytes: Uint8Array) => readInvitationRows(bytes).rows;

/** A workbook whose first sheet has a uid header on row 1 and the given cells on the given rows. */
const workbookOf = (rows: [number, string[]][], dimension?: string) => forgeZip(workbookWithSheetXml(sheetXml(new Map([[1, ['uid', 'first name']], ...rows]), dimension)));

const refusal = (file: Uint8Array) => {
  try {
    readRows(file);
  } catch (error) {
    if (error instanceof ImportFileError) return error.code;
    throw error;
  }
  return undefined;
};

describe('the row limit counts the rows that hold something', () => {
  it('far, sparse rows are read with their row numbers, never dropped', () => {
    const file = workbookOf([[2, ['E2']], [3, ['E3']], [60_000, ['E60000', 'Far']], [70_000, ['E70000']]]);
    expect(readRows(file)).toEqual([
      { row: 2, uid: 'E2', firstName: '', lastName: '', role: '', groups: '' },
      { row: 3, uid: 'E3', firstName: '', lastName: '', role: '', groups: '' },
      { row: 60_000, uid: 'E60000', firstName: 'Far', lastName: '', role: '', groups: '' },
      { row: 70_000, uid: 'E70000', firstName: '', lastName: '', role: '', groups: '' },
    ]);
  });

  it('a dimension claiming a million rows is only a hint', () => {
    expect(readRows(workbookOf([[2, ['E2']], [3, ['E3']]], 'A1:A1048576'))).toHaveLength(2);
  });

  it('blank rows and rows of empty cells do not count', () => {
    expect(readRows(workbookOf([[2, ['E2']], [3, ['', ' ']], [5, ['E5']]])).map((row) => row.row)).toEqual([2, 5]);
  });

  it(`${importLimits.maxRows} rows spread down the sheet are read; one more fails the file, wherever it is`, () => {
    const spread = Array.from({ length: importLimits.maxRows }, (_, index): [number, string[]] => [2 + index * 20, [`E${index}`]]);
    expect(readRows(workbookOf(spread))).toHaveLength(importLimits.maxRows);
    expect(refusal(workbookOf([...spread, [1_048_576, ['Last']]]))).toBe('too_many_rows');
  });
});
