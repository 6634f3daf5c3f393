import type { Archive, ArchiveEntry } from './archive';
import { ImportFileError } from './file-error';
import { importLimits } from './limits';

/**
 * Which parts SheetJS (0.20.3, `parse_zip` with `sheets: 0`, `cellStyles: false`) reads to give
 * the first sheet's cells with their formatted text, found as it finds them:
 *
 * - `[Content_Types].xml`: its first override of a workbook, shared strings, styles, sheet
 *   metadata or person type names that part (`parse_ct`); without a workbook override,
 *   `xl/workbook.xml`;
 * - the workbook (sheet names and order, the 1904 date system) and its relationships
 *   (`<dir>/_rels/<name>.rels`, else `xl/_rels/workbook.xml.rels`), which lead to the first
 *   sheet (`safe_parse_wbrels`; without them, `xl/worksheets/sheet1.xml`);
 * - the styles part (number formats: `000000` keeps the leading zeros of a uid), the shared
 *   strings part and the first sheet;
 * - the sheet metadata and person parts, when the content types name them: parse_zip reads
 *   them unguarded and fails the whole file without them (SheetJS itself writes metadata.xml).
 *
 * Nothing else is handed to SheetJS: not `_rels/.rels` (parse_zip never reads it), other sheets,
 * the sheet's relationships (comments, drawings, hyperlinks), themes (read for cellStyles only),
 * calcChain (bookDeps only), external links and docProps (read, but optional), media or printer
 * settings. SheetJS
 * cannot read what it is not given, so those entries are never inflated: their bytes are only
 * checked as part of the zip's structure (headers, ranges, no overlap).
 */
const notXlsx = () => new ImportFileError('not_xlsx', 'The file is not an .xlsx workbook (save it as Excel Workbook .xlsx).');

/** Parts whose presence sends SheetJS to its OpenDocument or Numbers readers, which are not offered. */
const otherFormats = ['META-INF/manifest.xml', 'objectdata.xml', 'Index/Document.iwa'];

/** SheetJS's ct2type for the types it needs. */
const workbookTypes = new Set([
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
  'application/vnd.ms-excel.sheet.binary.macroEnabled.main',
  'application/vnd.ms-excel.addin.macroEnabled.main+xml',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml',
]);
const sharedStringsTypes = new Set(['application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml', 'application/vnd.ms-excel.sharedStrings']);
const stylesTypes = new Set(['application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml', 'application/vnd.ms-excel.styles']);
const metadataTypes = new Set(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml', 'application/vnd.ms-excel.sheetMetadata']);
const peopleTypes = new Set(['application/vnd.ms-excel.person+xml']);

/** SheetJS's tag and attribute expressions (tagregex1, attregexg). */
const tagPattern = /<[/?]?[a-zA-Z0-9:_-]+(?:\s+[^"\s?<>/]+\s*=\s*(?:"[^"]*"|'[^']*'|[^'"<>\s=]+))*\s*[/?]?>/gm;
const attributePattern = /\s([^"\s?>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^'">\s]+))/g;

interface Tag {
  /** Without its namespace prefix: `sheet`, `Override`. */
  name: string;
  /** By local name, as parsexmltag keys them (`r:id` is `id`; the last one wins). */
  attributes: Map<string, string>;
}

function* tags(xml: string): Generator<Tag> {
  for (const [tag] of xml.matchAll(tagPattern)) {
    const head = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
    const attributes = new Map<string, string>();
    for (const match of tag.matchAll(attributePattern)) {
      const name = match[1]!;
      const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
      attributes.set(local, match[2] ?? match[3] ?? match[4] ?? '');
    }
    yield { name: head.slice(head.indexOf(':') + 1), attributes };
  }
}

const unescapeXml = (text: string) =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_all, hex?: string, decimal?: string, named?: string) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (decimal) return String.fromCodePoint(parseInt(decimal, 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[named!.toLowerCase()]!;
  });

const stripSlash = (name: string) => name.replace(/^\//, '');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const tooManyItems = (name: string, count: number, what: string) => new ImportFileError('archive_too_large', `The part ${name} holds more than ${count} ${what}.`);

export function selectFirstSheetParts(archive: Archive, items: typeof importLimits.partItems = importLimits.partItems): ArchiveEntry[] {
  const contentTypesName = archive.find('[Content_Types].xml');
  if (!contentTypesName || otherFormats.some((name) => archive.find(name))) throw notXlsx();
  const parts: ArchiveEntry[] = [];
  const take = (name: string, role: Parameters<Archive['inflate']>[1]) => {
    const bytes = archive.inflate(name, role);
    parts.push({ name, bytes });
    return bytes;
  };

  const overrides = { workbook: '', sharedStrings: '', styles: '', metadata: '', people: '' };
  for (const tag of tags(text(take(contentTypesName, 'structure')))) {
    if (tag.name !== 'Override') continue;
    const type = tag.attributes.get('ContentType') ?? '';
    const partName = tag.attributes.get('PartName') ?? '';
    if (workbookTypes.has(type)) overrides.workbook ||= partName;
    if (sharedStringsTypes.has(type)) overrides.sharedStrings ||= partName;
    if (stylesTypes.has(type)) overrides.styles ||= partName;
    if (metadataTypes.has(type)) overrides.metadata ||= partName;
    if (peopleTypes.has(type)) overrides.people ||= partName;
  }
  const workbookPath = overrides.workbook || (archive.find('xl/workbook.xml') ? 'xl/workbook.xml' : '');
  // The binary workbook (.xlsb) and its binary parsers are not offered.
  if (!workbookPath || workbookPath.toLowerCase().endsWith('.bin')) throw notXlsx();

  const workbookName = archive.find(stripSlash(workbookPath));
  // Without its workbook SheetJS fails the file; handing it the other parts would not help.
  if (!workbookName) return parts;
  const sheetIds: (string | undefined)[] = [];
  for (const tag of tags(text(take(workbookName, 'structure')))) {
    if (tag.name === 'sheet') sheetIds.push(tag.attributes.get('id') ?? tag.attributes.get('strRelID'));
  }

  const slash = workbookPath.lastIndexOf('/');
  let relsPath = stripSlash(`${workbookPath.slice(0, slash + 1)}_rels/${workbookPath.slice(slash + 1)}.rels`);
  if (!archive.find(relsPath)) relsPath = 'xl/_rels/workbook.xml.rels';
  const targets = new Map<string, string>();
  const relsName = archive.find(relsPath);
  if (relsName) {
    for (const tag of tags(text(take(relsName, 'structure')))) {
      if (tag.name === 'Relationship' && tag.attributes.has('Id') && tag.attributes.has('Target')) targets.set(tag.attributes.get('Id')!, unescapeXml(tag.attributes.get('Target')!));
    }
  }

  for (const [path, role] of [
    [overrides.styles, 'styles'],
    [overrides.sharedStrings, 'sharedStrings'],
    [overrides.metadata, 'structure'],
    [overrides.people, 'structure'],
  ] as const) {
    const name = path ? archive.find(stripSlash(path)) : undefined;
    if (!name) continue;
    const bytes = take(name, role);
    if (role === 'sharedStrings') refuseCostly(name, bytes, items);
  }

  if (sheetIds.length > 0) {
    const sheetName = firstSheet(archive, sheetIds, targets, relsPath);
    if (sheetName) refuseCostly(sheetName, take(sheetName, 'sheet'), items);
  }
  return parts;
}

/**
 * Both large parts are held to every count, whatever their role, so that even a part SheetJS
 * would read as another than the one found here costs no more than the limits allow.
 */
function refuseCostly(name: string, bytes: Uint8Array, items: typeof importLimits.partItems): void {
  const counts = countItems(bytes);
  if (counts.strings > items.sharedStrings) throw tooManyItems(name, items.sharedStrings, 'shared strings');
  if (counts.rows > items.sheetRows) throw tooManyItems(name, items.sheetRows, 'rows with content');
  if (counts.cells > items.sheetCells) throw tooManyItems(name, items.sheetCells, 'cells with content');
}

/** parse_zip's search for sheet 0: by its relationship if every sheet has one, else by number. */
function firstSheet(archive: Archive, sheetIds: (string | undefined)[], targets: Map<string, string>, relsPath: string): string | undefined {
  const everySheetHasTarget = sheetIds.every((id) => id !== undefined && targets.has(id));
  if (!everySheetHasTarget) return archive.find(archive.find('xl/worksheets/sheet.xml') ? 'xl/worksheets/sheet.xml' : 'xl/worksheets/sheet1.xml');
  const target = targets.get(sheetIds[0]!)!;
  const candidates = [`xl/${target.replace(/[/]?xl\//, '')}`, target, relsPath.replace(/_rels\/[\S\s]*$/, '') + target];
  for (const candidate of candidates) {
    const name = archive.find(candidate);
    if (name) return name;
  }
  return undefined;
}

export interface PartItems {
  /** Shared strings: the pieces SheetJS splits the table into at each `</si>`. */
  strings: number;
  /** Sheet rows holding at least one cell with content. */
  rows: number;
  /** Sheet cells with content: every `<c …>` that is not empty-element `<c …/>`. */
  cells: number;
}

const isNameByte = (byte: number) => (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x3a || byte === 0x5f || byte === 0x2d;
const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));
const names = { si: ascii('si'), sstItem: ascii('sstItem'), row: ascii('row'), c: ascii('c') };

/**
 * Counts, in one pass over the bytes and without decoding them, the elements SheetJS makes
 * objects of: tag names are compared without their namespace prefix, as SheetJS does.
 */
export function countItems(bytes: Uint8Array): PartItems {
  const counts: PartItems = { strings: 0, rows: 0, cells: 0 };
  let rowHasCell = true;
  for (let at = bytes.indexOf(0x3c); at >= 0; at = bytes.indexOf(0x3c, at + 1)) {
    const closing = bytes[at + 1] === 0x2f;
    let end = at + (closing ? 2 : 1);
    let local = end;
    for (; end < bytes.length && isNameByte(bytes[end]!); end++) if (bytes[end] === 0x3a) local = end + 1;
    const is = (name: number[]) => end - local === name.length && name.every((byte, index) => bytes[local + index] === byte);
    if (closing) {
      if ((is(names.si) || is(names.sstItem)) && bytes[end] === 0x3e) counts.strings++;
      continue;
    }
    const isRow = is(names.row);
    const isCell = !isRow && is(names.c);
    if (!isRow && !isCell) continue;
    const close = bytes.indexOf(0x3e, end);
    if (close < 0) break;
    const empty = bytes[close - 1] === 0x2f;
    if (isRow && !empty) rowHasCell = false;
    if (isCell && !empty) {
      counts.cells++;
      if (!rowHasCell) counts.rows++;
      rowHasCell = true;
    }
    at = close;
  }
  return counts;
}
