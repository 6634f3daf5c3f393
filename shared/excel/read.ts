import * as XLSX from 'xlsx';
import { readWorkbookArchive, type ArchiveEntry } from './archive';
import { checkCompoundFile, isCompoundFile } from './compound';
import { csvRecords, csvSeparators, decodeText, type CsvSeparator } from './csv';
import { ImportFileError, type FileProblem } from './file-error';
import { importLimits } from './limits';
import type { PhaseClock } from '../core/phases';

export { ImportFileError, importLimits, type FileProblem };

export interface SheetRow {
  /** 1-based row number, as the spreadsheet shows it (for a CSV, the record's number). */
  row: number;
  uid: string;
  firstName: string;
  lastName: string;
  /** raw cell text, '' when the file has no role column */
  role: string;
  /** raw cell text, '' when no groups column */
  groups: string;
}

export type ImportFormat = 'xlsx' | 'xls' | 'ods' | 'csv';

export interface SheetRead {
  format: ImportFormat;
  rows: SheetRow[];
  /** The header cells that match no column, as written, in column order. */
  ignoredColumns: string[];
}

type Field = Exclude<keyof SheetRow, 'row'>;

/**
 * Header cells are compared without case, spaces, accents or punctuation: "Prénom",
 * "PRENOM", "first_name", "First Name" and "N° Matricule" are keyed `prenom`, `prenom`,
 * `firstname`, `firstname`, `nmatricule`.
 */
export const headerKey = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

const aliases: Record<Field, readonly string[]> = {
  uid: ['uid', 'identifiant', 'matricule', 'employee id', 'employee number'],
  firstName: ['first name', 'firstname', 'given name', 'prénom'],
  lastName: ['last name', 'lastname', 'surname', 'family name', 'nom', 'nom de famille'],
  role: ['role', 'rôle'],
  groups: ['groups', 'groupes'],
};
const fieldOfKey = new Map(Object.entries(aliases).flatMap(([field, names]) => names.map((name) => [headerKey(name), field as Field] as const)));

/** One row of the first sheet (or one CSV record): its number and its cells' text, trimmed. */
interface GridRow {
  row: number;
  cell(column: number): string;
  /** The cells holding something, in column order. */
  filled(): [number, string][];
}

interface Header {
  at: Partial<Record<Field, number>>;
  ignoredColumns: string[];
}

/** The header row holds a uid column; the first column of each field counts, every other named cell is ignored (and said so). */
function matchHeader(cells: [number, string][]): Header | undefined {
  const at: Partial<Record<Field, number>> = {};
  const ignoredColumns: string[] = [];
  for (const [column, text] of cells) {
    const field = fieldOfKey.get(headerKey(text));
    if (field && at[field] === undefined) at[field] = column;
    else ignoredColumns.push(text);
  }
  return at.uid === undefined ? undefined : { at, ignoredColumns };
}

/**
 * Finds the header row among the first `importLimits.headerSearchRows` rows, then reads one row
 * per line that holds something; blank lines cost nothing and keep the numbering.
 */
function collectRows(format: ImportFormat, grid: Iterable<GridRow>): SheetRead {
  let header: Header | undefined;
  let sawContent = false;
  const rows: SheetRow[] = [];
  for (const line of grid) {
    if (!header) {
      const filled = line.filled();
      if (filled.length > 0) sawContent = true;
      if (line.row <= importLimits.headerSearchRows) header = matchHeader(filled);
      else if (sawContent) break;
      continue;
    }
    if (line.filled().length === 0) continue;
    const cellAt = (column: number | undefined) => (column === undefined ? '' : line.cell(column));
    const { at } = header;
    rows.push({ row: line.row, uid: cellAt(at.uid), firstName: cellAt(at.firstName), lastName: cellAt(at.lastName), role: cellAt(at.role), groups: cellAt(at.groups) });
    if (rows.length > importLimits.maxRows) throw new ImportFileError('too_many_rows', `The sheet has more than ${importLimits.maxRows} rows.`);
  }
  if (!sawContent) throw new ImportFileError('empty_sheet', 'The first sheet is empty.');
  if (!header) throw new ImportFileError('no_uid_column', 'No header row with a uid column (uid, identifiant, matricule, employee id or employee number) was found in the first rows of the first sheet.');
  return { format, rows, ignoredColumns: header.ignoredColumns };
}

/**
 * Reads the first sheet of an .xlsx, .xls or .ods, or a .csv, told apart by their bytes alone
 * (a zip with an OpenDocument manifest or mimetype is an .ods, another zip an .xlsx, a compound
 * file an .xls, text a .csv): each cell as the text the sheet shows (a number formatted 000000
 * keeps its leading zeros), a CSV's as typed.
 */
export function readInvitationRows(bytes: Uint8Array, clock?: PhaseClock): SheetRead {
  if (bytes.byteLength > importLimits.maxBytes) throw new ImportFileError('file_too_large', `The file is larger than ${importLimits.maxBytes} bytes.`);
  const isZip = bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  if (isZip) {
    const { format, entries } = readWorkbookArchive(bytes);
    clock?.mark('archive');
    return readSheet(format, parseWorkbook(entries), clock);
  }
  if (isCompoundFile(bytes)) {
    checkCompoundFile(bytes);
    clock?.mark('archive');
    return readSheet('xls', parseCompound(bytes), clock);
  }
  const text = decodeText(bytes);
  // Flat XML (.fods, SpreadsheetML 2003) and HTML saved as ".xls" are text too, but no CSV.
  if (text === undefined || /^\s*</.test(text.slice(0, 1024))) throw new ImportFileError('not_xlsx', 'The file is not a workbook (.xlsx, .xls, .ods) nor a CSV text file.');
  clock?.mark('archive');
  const read = collectRows('csv', csvGrid(text, detectSeparator(text)));
  clock?.mark('parse');
  return read;
}

function readSheet(format: ImportFormat, workbook: XLSX.WorkBook, clock?: PhaseClock): SheetRead {
  const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
  const read = collectRows(format, sheetGrid((sheet?.['!data'] ?? []) as (XLSX.CellObject | undefined)[][]));
  clock?.mark('parse');
  return read;
}

const cellText = (cell: XLSX.CellObject | undefined) => (cell === undefined ? '' : (cell.w ?? (cell.v === undefined ? '' : String(cell.v))).trim());

/** Only the rows and cells SheetJS made are visited (an .ods can place a row at index 10^15). */
function* sheetGrid(data: (XLSX.CellObject | undefined)[][]): Generator<GridRow> {
  for (const key of Object.keys(data)) {
    const cells = data[Number(key)];
    if (!cells) continue;
    yield {
      row: Number(key) + 1,
      cell: (column) => cellText(cells[column]),
      filled: () => Object.keys(cells).flatMap((column): [number, string][] => {
        const text = cellText(cells[Number(column)]);
        return text === '' ? [] : [[Number(column), text]];
      }),
    };
  }
}

function* csvGrid(text: string, separator: CsvSeparator): Generator<GridRow> {
  let row = 0;
  for (const record of csvRecords(text, separator)) {
    const cells = record.cells.map((cell) => cell.trim());
    yield {
      row: ++row,
      cell: (column) => cells[column] ?? '',
      filled: () => cells.flatMap((cell, column): [number, string][] => (cell === '' ? [] : [[column, cell]])),
    };
  }
}

/**
 * The separator is the one with which a header row is found in the first rows; when several
 * find one, the one naming the most columns, then `;`, `,`, tab; when none does, the most
 * frequent outside quotes on the first line.
 */
function detectSeparator(text: string): CsvSeparator {
  let best: { separator: CsvSeparator; named: number } | undefined;
  for (const separator of csvSeparators) {
    let row = 0;
    try {
      for (const record of csvRecords(text, separator)) {
        if (++row > importLimits.headerSearchRows) break;
        const header = matchHeader(record.cells.map((cell, column): [number, string] => [column, cell.trim()]).filter(([, cell]) => cell !== ''));
        if (!header) continue;
        const named = Object.keys(header.at).length;
        if (!best || named > best.named) best = { separator, named };
        break;
      }
    } catch (error) {
      if (!(error instanceof ImportFileError)) throw error;
    }
  }
  if (best) return best.separator;
  const counts = new Map<CsvSeparator, number>(csvSeparators.map((separator) => [separator, 0]));
  let quoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text[at]!;
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char as CsvSeparator)) counts.set(char as CsvSeparator, counts.get(char as CsvSeparator)! + 1);
  }
  return [...counts].reduce((most, entry) => (entry[1] > most[1] ? entry : most))[0];
}

/** SheetJS's own zip reader sizes buffers from headers; its parser proper also takes a container of parts, which is given here. */
interface SheetJsContainers {
  parse_zip(container: unknown, options: XLSX.ParsingOptions): XLSX.WorkBook;
  CFB: { utils: { cfb_new(): unknown; cfb_add(container: unknown, name: string, content: Uint8Array, options: { unsafe: true }): void } };
}
const sheetJs = XLSX as unknown as SheetJsContainers;
const parsing: XLSX.ParsingOptions = { type: 'array', dense: true, sheets: 0, cellFormula: false, cellHTML: false };

/** Parses the first sheet from the parts that readArchive has already chosen, inflated and counted. */
function parseWorkbook(entries: ArchiveEntry[]): XLSX.WorkBook {
  const container = sheetJs.CFB.utils.cfb_new();
  for (const entry of entries) sheetJs.CFB.utils.cfb_add(container, entry.name, entry.bytes, { unsafe: true });
  try {
    return sheetJs.parse_zip(container, parsing);
  } catch {
    throw new ImportFileError('unreadable', 'The file could not be read as a workbook.');
  }
}

/** An .xls whose compound structure and cell records checkCompoundFile has already walked. */
function parseCompound(bytes: Uint8Array): XLSX.WorkBook {
  try {
    return XLSX.read(bytes, parsing);
  } catch {
    throw new ImportFileError('unreadable', 'The file could not be read as an .xls workbook.');
  }
}
