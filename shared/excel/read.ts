import * as XLSX from 'xlsx';
import { readArchive, type ArchiveEntry } from './archive';
import { ImportFileError, type FileProblem } from './file-error';
import { importLimits } from './limits';
import type { PhaseClock } from '../core/phases';

export { ImportFileError, importLimits, type FileProblem };

export interface SheetRow {
  /** 1-based row number, as the spreadsheet shows it. */
  row: number;
  uid: string;
  firstName: string;
  lastName: string;
  /** raw cell text, '' when no role column */
  role: string;
  /** raw cell text, '' when no groups column */
  groups: string;
}

export type ImportFormat = 'xlsx' | 'xls' | 'ods' | 'csv';

export interface SheetRead {
  format: ImportFormat;
  rows: SheetRow[];
  ignoredColumns: string[];
}

/** Header cells are matched ignoring case and spaces: "First Name", "firstname", " UID ". */
const headerKey = (text: string) => text.replace(/\s+/g, '').toLowerCase();
const columns = { uid: 'uid', firstName: 'firstname', lastName: 'lastname', role: 'role', groups: 'groups' } as const;

/**
 * Reads the first sheet: finds the header row, then one row per non-empty line, each cell
 * as the text the spreadsheet shows (a number formatted 000000 keeps its leading zeros).
 */
export function readInvitationRows(bytes: Uint8Array, clock?: PhaseClock): SheetRead {
  const entries = readArchive(bytes);
  clock?.mark('archive');
  const workbook = parseWorkbook(entries);
  const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
  const data = (sheet?.['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
  const text = (cell: XLSX.CellObject | undefined) => (cell === undefined ? '' : (cell.w ?? (cell.v === undefined ? '' : String(cell.v))).trim());
  if (!data.some((row) => row?.some((cell) => text(cell) !== ''))) throw new ImportFileError('empty_sheet', 'The first sheet is empty.');

  let headerIndex = -1;
  const at: Partial<Record<keyof typeof columns, number>> = {};
  for (let index = 0; index < Math.min(data.length, importLimits.headerSearchRows) && headerIndex < 0; index++) {
    const cells = (data[index] ?? []).map((cell) => headerKey(text(cell)));
    if (!cells.includes(columns.uid)) continue;
    headerIndex = index;
    for (const [field, name] of Object.entries(columns) as [keyof typeof columns, string][]) {
      const position = cells.indexOf(name);
      if (position >= 0) at[field] = position;
    }
  }
  if (headerIndex < 0) throw new ImportFileError('no_uid_column', 'No header row with a "uid" column was found in the first rows of the first sheet.');

  const rows: SheetRow[] = [];
  for (let index = headerIndex + 1; index < data.length; index++) {
    const cells = data[index];
    if (!cells || !cells.some((cell) => text(cell) !== '')) continue;
    const cellAt = (position: number | undefined) => (position === undefined ? '' : text(cells[position]));
    rows.push({ row: index + 1, uid: cellAt(at.uid), firstName: cellAt(at.firstName), lastName: cellAt(at.lastName), role: cellAt(at.role), groups: cellAt(at.groups) });
    if (rows.length > importLimits.maxRows) throw new ImportFileError('too_many_rows', `The sheet has more than ${importLimits.maxRows} rows.`);
  }
  clock?.mark('parse');
  return { format: 'xlsx', rows, ignoredColumns: [] };
}

/** SheetJS's own zip reader sizes buffers from headers; its parser proper also takes a container of parts, which is given here. */
interface SheetJsContainers {
  parse_zip(container: unknown, options: XLSX.ParsingOptions): XLSX.WorkBook;
  CFB: { utils: { cfb_new(): unknown; cfb_add(container: unknown, name: string, content: Uint8Array, options: { unsafe: true }): void } };
}
const sheetJs = XLSX as unknown as SheetJsContainers;

/** Parses the first sheet from the parts that readArchive has already chosen, inflated and counted. */
function parseWorkbook(entries: ArchiveEntry[]): XLSX.WorkBook {
  const container = sheetJs.CFB.utils.cfb_new();
  for (const entry of entries) sheetJs.CFB.utils.cfb_add(container, entry.name, entry.bytes, { unsafe: true });
  try {
    return sheetJs.parse_zip(container, { type: 'array', dense: true, sheets: 0, cellFormula: false, cellHTML: false });
  } catch {
    throw new ImportFileError('unreadable', 'The file could not be read as a workbook.');
  }
}
