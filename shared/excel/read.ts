import { Unzip, UnzipInflate } from 'fflate';
import * as XLSX from 'xlsx';
import { importLimits } from './limits';

export { importLimits };

export type FileProblem = 'file_too_large' | 'not_xlsx' | 'archive_too_large' | 'too_many_entries' | 'unreadable' | 'empty_sheet' | 'no_uid_column' | 'too_many_rows';

export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(
    readonly code: FileProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks an uploaded file before any parser sees it: that it is a zip at all, and that it
 * unpacks to a bounded number of entries and bytes (no zip bomb reaches SheetJS).
 */
export function inspectArchive(bytes: Uint8Array): void {
  if (bytes.byteLength > importLimits.maxBytes) throw new ImportFileError('file_too_large', `The file is larger than ${importLimits.maxBytes} bytes.`);
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) {
    throw new ImportFileError('not_xlsx', 'The file is not an .xlsx workbook (save it as Excel Workbook .xlsx).');
  }
  let entries = 0;
  let unpacked = 0;
  let failure: ImportFileError | undefined;
  const unzip = new Unzip((entry) => {
    if (failure) return;
    entries++;
    if (entries > importLimits.maxEntries) {
      failure = new ImportFileError('too_many_entries', `The archive has more than ${importLimits.maxEntries} entries.`);
      return;
    }
    entry.ondata = (error, chunk) => {
      if (failure) return;
      if (error) {
        failure = new ImportFileError('unreadable', 'The archive is damaged.');
        return;
      }
      unpacked += chunk.byteLength;
      if (unpacked > importLimits.maxUnpackedBytes) {
        failure = new ImportFileError('archive_too_large', `The workbook unpacks to more than ${importLimits.maxUnpackedBytes} bytes.`);
        entry.terminate();
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.byteLength && !failure; offset += 64 * 1024) {
      unzip.push(bytes.subarray(offset, Math.min(offset + 64 * 1024, bytes.byteLength)), offset + 64 * 1024 >= bytes.byteLength);
    }
  } catch {
    failure ??= new ImportFileError('unreadable', 'The archive is damaged.');
  }
  if (failure) throw failure;
  if (entries === 0) throw new ImportFileError('not_xlsx', 'The archive is empty.');
}

export interface SheetRow {
  /** 1-based row number, as the spreadsheet shows it. */
  row: number;
  uid: string;
  firstName: string;
  lastName: string;
}

/** Header cells are matched ignoring case and spaces: "First Name", "firstname", " UID ". */
const headerKey = (text: string) => text.replace(/\s+/g, '').toLowerCase();
const columns = { uid: 'uid', firstName: 'firstname', lastName: 'lastname' } as const;

/**
 * Reads the first sheet: finds the header row, then one row per non-empty line, each cell
 * as the text the spreadsheet shows (a number formatted 000000 keeps its leading zeros).
 */
export function readInvitationRows(bytes: Uint8Array): SheetRow[] {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      sheets: 0,
      // Parsing stops past the limit, so a huge sheet costs no more than maxRows rows.
      sheetRows: importLimits.maxRows + importLimits.headerSearchRows + 1,
      cellFormula: false,
      cellHTML: false,
    });
  } catch {
    throw new ImportFileError('unreadable', 'The file could not be read as a workbook.');
  }
  const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
  const fullRange = sheet?.['!fullref'] ? XLSX.utils.decode_range(sheet['!fullref']) : undefined;
  if (fullRange && fullRange.e.r + 1 > importLimits.maxRows + importLimits.headerSearchRows + 1) {
    throw new ImportFileError('too_many_rows', `The sheet has more than ${importLimits.maxRows} rows.`);
  }
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
    rows.push({ row: index + 1, uid: cellAt(at.uid), firstName: cellAt(at.firstName), lastName: cellAt(at.lastName) });
    if (rows.length > importLimits.maxRows) throw new ImportFileError('too_many_rows', `The sheet has more than ${importLimits.maxRows} rows.`);
  }
  return rows;
}
