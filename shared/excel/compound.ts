import { ImportFileError } from './file-error';
import { importLimits, type ItemLimits } from './limits';

/**
 * The checks an .xls (a BIFF workbook inside a compound file, "OLE2") passes before SheetJS
 * reads it. SheetJS's compound-file reader trusts the header's sector counts and follows the
 * allocation table's chains as it finds them, and its BIFF parser makes an object of every cell
 * record; so the whole structure is walked here first, on the file's real bytes:
 *
 * - the header: signature, version 3 (512-byte sectors) or 4 (4096), byte order, sector sizes;
 *   every count (allocation, mini allocation, DIFAT sectors) at most the sectors really there;
 * - every chain (DIFAT, allocation table, directory, mini allocation table, each stream) stays
 *   inside the file, never loops, and is long enough for the size its entry declares;
 * - the directory: at most `importLimits.xls.maxDirectoryEntries` entries, a tree (each entry
 *   named once, no loop) and streams no larger than the file;
 * - the Workbook (BIFF8) or Book (BIFF5) stream: its records tile it, and its cell records
 *   (MULRK counted as the cells it holds; blanks cost nothing, SheetJS keeps none) and the
 *   declared count of its shared strings stay within `importLimits.partItems`.
 *
 * A file that breaks a structural rule is `archive_inconsistent` (or `unreadable` when it ends
 * too early), one past a count is `archive_too_large`, and a compound file with no workbook
 * stream (a Word document, an encrypted .xlsx) is `not_xlsx`.
 */
export const compoundSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const endOfChain = 0xfffffffe;
const freeSector = 0xffffffff;
const noStream = 0xffffffff;
const headerLength = 512;
const directoryEntryLength = 128;
const miniSectorLength = 64;
const miniStreamCutoff = 4096;

const inconsistent = (why: string) => new ImportFileError('archive_inconsistent', `The .xls file's structure does not match its contents: ${why}.`);
const truncated = () => new ImportFileError('unreadable', 'The .xls file is damaged: it ends too early.');

export const isCompoundFile = (bytes: Uint8Array) => bytes.byteLength >= compoundSignature.length && compoundSignature.every((byte, index) => bytes[index] === byte);

interface DirectoryEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** Checks the compound file and answers its workbook stream's bytes, already counted. */
export function checkCompoundFile(bytes: Uint8Array, limits: { xls: typeof importLimits.xls; partItems: ItemLimits } = importLimits): Uint8Array {
  if (bytes.byteLength < headerLength) throw truncated();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);

  const major = u16(26);
  const shift = u16(30);
  if (u16(28) !== 0xfffe || !((major === 3 && shift === 9) || (major === 4 && shift === 12)) || u16(32) !== 6) throw inconsistent('its header is not that of a version 3 or 4 compound file');
  const sectorLength = 1 << shift;
  // The header fills the first sector; a last sector cut short is still a sector.
  const sectorCount = Math.ceil(bytes.byteLength / sectorLength) - 1;
  if (sectorCount < 1 || sectorCount > limits.xls.maxSectors) throw inconsistent(`it has ${sectorCount} sectors`);
  const perSector = sectorLength / 4;
  const fatSectors = u32(44);
  const miniFatSectors = u32(64);
  const difatSectors = u32(72);
  if (fatSectors < 1 || fatSectors > sectorCount || miniFatSectors > sectorCount || difatSectors > sectorCount) throw inconsistent('its header counts more sectors than the file has');
  if (u32(56) !== miniStreamCutoff) throw inconsistent('its mini stream cutoff is not 4096');

  const sectorAt = (sector: number) => (sector + 1) * sectorLength;
  const readSector = (sector: number) => {
    if (sector >= sectorCount) throw inconsistent(`sector ${sector} lies past the end of the file`);
    const start = sectorAt(sector);
    const content = new Uint8Array(sectorLength);
    content.set(bytes.subarray(start, Math.min(start + sectorLength, bytes.byteLength)));
    return new DataView(content.buffer);
  };

  // The allocation table's own sectors: 109 in the header, the rest along the DIFAT chain.
  const fatIds: number[] = [];
  for (let index = 0; index < Math.min(fatSectors, 109); index++) fatIds.push(u32(76 + index * 4));
  const seenDifat = new Set<number>();
  for (let sector = u32(68); fatIds.length < fatSectors; ) {
    if (sector === endOfChain || sector === freeSector || seenDifat.size >= difatSectors) throw inconsistent('its DIFAT chain lists fewer allocation sectors than the header counts');
    if (seenDifat.has(sector)) throw inconsistent('its DIFAT chain loops');
    seenDifat.add(sector);
    const difat = readSector(sector);
    for (let index = 0; index < perSector - 1 && fatIds.length < fatSectors; index++) fatIds.push(difat.getUint32(index * 4, true));
    sector = difat.getUint32(sectorLength - 4, true);
  }
  if (new Set(fatIds).size !== fatIds.length) throw inconsistent('an allocation sector is listed twice');
  const fat = new Uint32Array(fatIds.length * perSector);
  fatIds.forEach((sector, index) => {
    const table = readSector(sector);
    for (let entry = 0; entry < perSector; entry++) fat[index * perSector + entry] = table.getUint32(entry * 4, true);
  });

  /** A chain of sectors: inside the table and the file, never twice the same sector. */
  const chain = (start: number, table: Uint32Array, count: number, what: string): number[] => {
    const sectors: number[] = [];
    const seen = new Uint8Array(count);
    for (let sector = start; sector !== endOfChain; sector = table[sector]!) {
      if (sector >= count || sector >= table.length) throw inconsistent(`the chain of ${what} leaves the file`);
      if (seen[sector]) throw inconsistent(`the chain of ${what} loops`);
      seen[sector] = 1;
      sectors.push(sector);
    }
    return sectors;
  };
  const gather = (sectors: number[], size: number) => {
    const content = new Uint8Array(sectors.length * sectorLength);
    sectors.forEach((sector, index) => content.set(new Uint8Array(readSector(sector).buffer), index * sectorLength));
    return content.subarray(0, size);
  };

  const directoryBytes = gather(chain(u32(48), fat, sectorCount, 'the directory'), Number.MAX_SAFE_INTEGER);
  const entryCount = directoryBytes.byteLength / directoryEntryLength;
  if (entryCount > limits.xls.maxDirectoryEntries) throw inconsistent(`its directory has more than ${limits.xls.maxDirectoryEntries} entries`);
  const directory = new DataView(directoryBytes.buffer, directoryBytes.byteOffset, directoryBytes.byteLength);
  const entries: DirectoryEntry[] = Array.from({ length: entryCount }, (_, index) => {
    const at = index * directoryEntryLength;
    const nameLength = Math.min(64, directory.getUint16(at + 64, true));
    let name = '';
    for (let char = 0; char + 2 < nameLength; char += 2) name += String.fromCharCode(directory.getUint16(at + char, true));
    return {
      name,
      type: directory.getUint8(at + 66),
      left: directory.getUint32(at + 68, true),
      right: directory.getUint32(at + 72, true),
      child: directory.getUint32(at + 76, true),
      start: directory.getUint32(at + 116, true),
      // Version 3 files may leave garbage in the high half; no stream here is past 4 GiB anyway.
      size: directory.getUint32(at + 120, true),
    };
  });
  refuseBrokenTree(entries);

  const root = entries[0];
  if (root?.type !== 5) throw inconsistent('its directory does not start with the root entry');
  const streamBytes = (entry: DirectoryEntry, mini: { table: Uint32Array; stream: Uint8Array } | undefined): Uint8Array => {
    if (entry.size > bytes.byteLength) throw inconsistent(`the stream ${entry.name} is declared larger than the file`);
    if (entry.size < miniStreamCutoff && entry.type !== 5) {
      if (!mini) throw inconsistent(`the stream ${entry.name} is in a mini stream the file does not have`);
      const sectors = chain(entry.start, mini.table, mini.stream.byteLength / miniSectorLength, entry.name);
      if (sectors.length * miniSectorLength < entry.size) throw inconsistent(`the stream ${entry.name} is shorter than declared`);
      const content = new Uint8Array(sectors.length * miniSectorLength);
      sectors.forEach((sector, index) => content.set(mini.stream.subarray(sector * miniSectorLength, (sector + 1) * miniSectorLength), index * miniSectorLength));
      return content.subarray(0, entry.size);
    }
    const sectors = entry.size === 0 && entry.start === endOfChain ? [] : chain(entry.start, fat, sectorCount, entry.name);
    if (sectors.length * sectorLength < entry.size) throw inconsistent(`the stream ${entry.name} is shorter than declared`);
    return gather(sectors, entry.size);
  };

  const miniStream = streamBytes(root, undefined);
  const miniTableBytes = miniFatSectors === 0 ? new Uint8Array(0) : gather(chain(u32(60), fat, sectorCount, 'the mini allocation table'), miniFatSectors * sectorLength);
  const miniTable = new Uint32Array(miniTableBytes.byteLength / 4);
  const miniView = new DataView(miniTableBytes.buffer, miniTableBytes.byteOffset, miniTableBytes.byteLength);
  for (let index = 0; index < miniTable.length; index++) miniTable[index] = miniView.getUint32(index * 4, true);
  const mini = { table: miniTable, stream: miniStream.subarray(0, miniStream.byteLength - (miniStream.byteLength % miniSectorLength)) };

  let workbook: Uint8Array | undefined;
  for (const entry of entries) {
    if (entry.type !== 2) continue;
    // Every stream is checked, as SheetJS reads them all into memory.
    const content = streamBytes(entry, mini);
    if (!workbook && ['workbook', 'book'].includes(entry.name.toLowerCase())) workbook = content;
  }
  if (!workbook) throw new ImportFileError('not_xlsx', 'The file is an Office document but holds no Excel workbook.');
  refuseCostlyRecords(workbook, limits.partItems);
  return workbook;
}

/** Each entry is reached at most once from the root, so the tree has no loop and no shared branch. */
function refuseBrokenTree(entries: DirectoryEntry[]): void {
  const reached = new Uint8Array(entries.length);
  const pending = [0];
  reached[0] = 1;
  while (pending.length > 0) {
    const entry = entries[pending.pop()!]!;
    for (const next of [entry.left, entry.right, entry.child]) {
      if (next === noStream) continue;
      if (next >= entries.length) throw inconsistent(`a directory entry points past the directory (${next})`);
      if (reached[next]) throw inconsistent('its directory tree loops or shares an entry');
      reached[next] = 1;
      pending.push(next);
    }
  }
}

const record = { sst: 0x00fc, mulRk: 0x00bd, cells: new Set([0x00fd, 0x0204, 0x0203, 0x027e, 0x0006, 0x0205, 0x00d6, 0x0406]) } as const;

/** Walks the BIFF records: their lengths must tile the stream; cells and declared shared strings are counted. */
export function refuseCostlyRecords(stream: Uint8Array, items: ItemLimits): void {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  let cells = 0;
  let at = 0;
  for (; at + 4 <= stream.byteLength; ) {
    const type = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    const body = at + 4;
    if (body + length > stream.byteLength) {
      // Streams are padded to a whole sector with zeros; anything else running past the end is damage.
      if (stream.subarray(at).every((byte) => byte === 0)) break;
      throw inconsistent('a workbook record runs past the end of its stream');
    }
    if (record.cells.has(type)) cells++;
    else if (type === record.mulRk && length >= 6) cells += Math.floor((length - 6) / 6);
    else if (type === record.sst && length >= 8 && view.getUint32(body + 4, true) > items.sharedStrings) {
      throw new ImportFileError('archive_too_large', `The workbook declares more than ${items.sharedStrings} shared strings.`);
    }
    if (cells > items.sheetCells) throw new ImportFileError('archive_too_large', `The workbook holds more than ${items.sheetCells} cells with content.`);
    at = body + length;
  }
}
