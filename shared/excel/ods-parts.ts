import type { Archive, ArchiveEntry } from './archive';
import { ImportFileError } from './file-error';
import { importLimits, type ItemLimits } from './limits';

/**
 * Which parts SheetJS (0.20.3, `parse_ods`) reads of an OpenDocument spreadsheet, found as it
 * finds them: `META-INF/manifest.xml` (it refuses a document that is not a spreadsheet, or is
 * encrypted), `styles.xml` (number formats; it fails the file without it) and `content.xml`
 * (every sheet's cells and their automatic styles). Not `meta.xml` (document properties, read
 * but optional), `settings.xml`, `manifest.rdf`, thumbnails or pictures: those are checked in
 * the zip's structure only and never inflated. The `mimetype` entry, which SheetJS never reads,
 * is inflated (within the structure budget) to tell a spreadsheet from another OpenDocument.
 */
export const odsMimeTypes = ['application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.spreadsheet-template'];

export function selectOdsParts(archive: Archive, items: ItemLimits = importLimits.partItems): ArchiveEntry[] {
  const mimetypeName = archive.find('mimetype');
  if (mimetypeName) {
    const mimetype = new TextDecoder().decode(archive.inflate(mimetypeName, 'structure')).trim();
    if (!odsMimeTypes.includes(mimetype)) throw new ImportFileError('not_xlsx', `The file is an OpenDocument ${mimetype.replace(/^application\/vnd\.oasis\.opendocument\./, '') || 'file'}, not a spreadsheet.`);
  }
  const parts: ArchiveEntry[] = [];
  for (const [path, role] of [
    ['META-INF/manifest.xml', 'structure'],
    ['styles.xml', 'styles'],
    ['content.xml', 'content'],
  ] as const) {
    const name = archive.find(path);
    if (!name) continue;
    const bytes = archive.inflate(name, role);
    // styles.xml may hold cells too (SheetJS's reader is shared with flat files), so both are counted.
    if (role !== 'structure') refuseCostlyContent(name, bytes, items);
    parts.push({ name, bytes });
  }
  return parts;
}

function refuseCostlyContent(name: string, bytes: Uint8Array, items: ItemLimits): void {
  const counts = countOdsItems(bytes);
  if (counts.rows > items.sheetRows) throw new ImportFileError('archive_too_large', `The part ${name} holds more than ${items.sheetRows} rows with content.`);
  if (counts.cells > items.sheetCells) throw new ImportFileError('archive_too_large', `The part ${name} holds more than ${items.sheetCells} cells with content.`);
  if (counts.elements > items.contentElements) throw new ImportFileError('archive_too_large', `The part ${name} holds more than ${items.contentElements} elements.`);
}

const isNameByte = (byte: number) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x3a || byte === 0x5f || byte === 0x2d;
const latin = new TextDecoder('latin1');
const attribute = (tag: string, name: string) => new RegExp(`[\\s:]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);

/**
 * Counts, in one pass over the bytes, the elements (opening tags, comments and declarations
 * aside) and the cells SheetJS makes objects of, as it expands them: a
 * cell with a value (or any content) repeated `number-columns-repeated` times in a row repeated
 * `number-rows-repeated` times is that many cells. Empty cells (self-closing without a value
 * type, or opened and closed at once) cost SheetJS nothing and are not counted.
 */
export function countOdsItems(bytes: Uint8Array): { rows: number; cells: number; elements: number } {
  const counts = { rows: 0, cells: 0, elements: 0 };
  let rowRepeat = 1;
  let rowCounted = false;
  let pending = 0;
  const count = (repeat: number) => {
    counts.cells += repeat * rowRepeat;
    if (!rowCounted) counts.rows += rowRepeat;
    rowCounted = true;
  };
  for (let at = bytes.indexOf(0x3c); at >= 0; at = bytes.indexOf(0x3c, at + 1)) {
    const closing = bytes[at + 1] === 0x2f;
    let end = at + (closing ? 2 : 1);
    let local = end;
    for (; end < bytes.length && isNameByte(bytes[end]!); end++) if (bytes[end] === 0x3a) local = end + 1;
    const name = latin.decode(bytes.subarray(local, end));
    const close = bytes.indexOf(0x3e, end);
    if (close < 0) break;
    // A cell opened with no value type counts only if something comes before its end tag.
    if (pending > 0) {
      if (!(closing && name === 'table-cell')) count(pending);
      pending = 0;
    }
    if (!closing && name !== '') counts.elements++;
    if (closing) {
      if (name === 'table-row') rowRepeat = 1;
    } else if (name === 'table-row' || name === 'table-cell') {
      const tag = latin.decode(bytes.subarray(at, close + 1));
      const empty = bytes[close - 1] === 0x2f;
      if (name === 'table-row') {
        rowRepeat = Math.max(1, Number(attribute(tag, 'number-rows-repeated')?.slice(1).find((value) => value !== undefined) ?? 1) || 1);
        rowCounted = false;
        if (empty) rowRepeat = 1;
      } else {
        const repeat = Math.max(1, parseInt(attribute(tag, 'number-columns-repeated')?.slice(1).find((value) => value !== undefined) ?? '1', 10) || 1);
        const hasValue = attribute(tag, 'value-type') !== null;
        if (hasValue && empty) count(1);
        else if (hasValue) count(repeat);
        else if (!empty) pending = repeat;
      }
    }
    at = close;
  }
  return counts;
}
