import { ImportFileError } from './file-error';
import { importLimits } from './limits';

/**
 * CSV as Excel and HR systems write it, read by our own small parser so that every limit holds
 * on what is really there:
 *
 * - encoding: UTF-8 (with or without BOM) if the bytes are valid UTF-8, else Windows-1252 (what
 *   Excel's "CSV (séparateur: point-virgule)" writes on a French Windows);
 * - RFC 4180 quoting: a quoted cell may hold separators, line breaks and doubled quotes `""`;
 *   text after a closing quote is kept (as Excel does), a quote inside an unquoted cell is text;
 * - line ends CRLF, LF or CR;
 * - cells are text as typed, never converted (`000123` keeps its zeros);
 * - a cell over `importLimits.csv.maxCellChars` characters or a line of more than
 *   `maxCellsPerLine` cells, or a quote never closed, is `unreadable` with its line number:
 *   the parser stops there, so a 10 MiB file of one quoted cell costs one scan, not a copy.
 */
export interface CsvRecord {
  /** The line the record starts on (a quoted line break makes a record span lines). */
  line: number;
  cells: string[];
}

export type CsvSeparator = ',' | ';' | '\t';
export const csvSeparators: readonly CsvSeparator[] = [';', ',', '\t'];

const quote = 0x22;
const cr = 0x0d;
const lf = 0x0a;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');
/** Control characters other than tab and line ends: a file holding one is no text. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const binary = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** The text of a CSV file, or undefined when the bytes are no text. */
export function decodeText(bytes: Uint8Array): string | undefined {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let text: string;
  try {
    text = strictUtf8.decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    if (bom) throw new ImportFileError('unreadable', 'The file starts as UTF-8 text but is not valid UTF-8.');
    text = windows1252.decode(bytes);
  }
  return binary.test(text) ? undefined : text;
}

const unreadable = (line: number, why: string) => new ImportFileError('unreadable', `Line ${line} of the CSV file ${why}.`);

/** The records of `text`, one at a time: nothing past the record being read is held. */
export function* csvRecords(text: string, separator: CsvSeparator, limits: typeof importLimits.csv = importLimits.csv): Generator<CsvRecord> {
  const sep = separator.charCodeAt(0);
  const tooLong = (line: number) => unreadable(line, `has a cell longer than ${limits.maxCellChars} characters`);
  let at = 0;
  let line = 1;
  while (at < text.length) {
    const record: CsvRecord = { line, cells: [] };
    for (;;) {
      let cell = '';
      if (text.charCodeAt(at) === quote) {
        const opened = line;
        let start = ++at;
        for (;;) {
          const close = text.indexOf('"', at);
          if (close < 0) throw unreadable(opened, 'opens a quoted cell that is never closed');
          if (cell.length + close - start > limits.maxCellChars) throw tooLong(opened);
          line += lineBreaks(text, start, close);
          if (text.charCodeAt(close + 1) === quote) {
            cell += text.slice(start, close + 1);
            at = start = close + 2;
            continue;
          }
          cell += text.slice(start, close);
          at = close + 1;
          break;
        }
      }
      const start = at;
      for (; at < text.length; at++) {
        const char = text.charCodeAt(at);
        if (char === sep || char === cr || char === lf) break;
        if (at - start + cell.length >= limits.maxCellChars) throw tooLong(line);
      }
      cell += text.slice(start, at);
      record.cells.push(cell);
      if (record.cells.length > limits.maxCellsPerLine) throw unreadable(record.line, `has more than ${limits.maxCellsPerLine} cells`);
      if (text.charCodeAt(at) === sep) {
        at++;
        // A separator ending the text still opens one last, empty cell.
        if (at < text.length) continue;
        record.cells.push('');
      }
      break;
    }
    // The record ends at CRLF, LF, CR or the end of the text.
    if (text.charCodeAt(at) === cr) at++;
    if (text.charCodeAt(at) === lf) at++;
    line++;
    yield record;
  }
}

/** Line breaks (CRLF, LF or CR each one) in text[from, to). */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = from; at < to; at++) {
    const char = text.charCodeAt(at);
    if (char === lf || (char === cr && text.charCodeAt(at + 1) !== lf)) count++;
  }
  return count;
}
