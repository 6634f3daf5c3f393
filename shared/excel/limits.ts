/** Documented and enforced limits of an import; kept apart from the reader so API bundles stay free of SheetJS. */
const MiB = 1024 * 1024;

export const importLimits = {
  maxBytes: 10 * MiB,
  maxRows: 50_000,
  /**
   * What SheetJS may be handed, counted while inflating (declared sizes can lie), per part and
   * in all. SheetJS is only given the parts it reads for the first sheet's cell text; every
   * other entry is checked in the zip's structure but never inflated. The budgets follow what
   * SheetJS does with each part: styles and the workbook's structure cost up to about 20 bytes
   * of memory per byte (tiny elements each become an object) and real ones hold a few KiB;
   * shared strings and the sheet hold the data itself (50,000 rows of 10 text columns: 18.5 MiB
   * of strings and a 20 MiB sheet by exceljs, a 27.5 MiB sheet by SheetJS).
   */
  partBudgets: {
    /** Each of [Content_Types].xml, the workbook, its relationships, sheet metadata and persons. */
    structure: 256 * 1024,
    styles: 1 * MiB,
    sharedStrings: 24 * MiB,
    sheet: 40 * MiB,
    /**
     * An OpenDocument spreadsheet's content.xml: every sheet's cells, with their markup (a
     * legitimate 50,000 × 10 sheet as SheetJS writes it: 57.3 MiB). Held to the sheet's counts
     * (partItems), repeated cells and rows counted as SheetJS expands them.
     */
    content: 72 * MiB,
  },
  /**
   * What SheetJS makes an object of, counted before it parses: each shared string costs it about
   * 250 bytes, each row holding a cell with content about 400, each such cell about 130, whatever
   * their length; empty cells and rows cost it little and are not counted. 50,000 rows of 10
   * columns hold 500,000 strings, 50,001 rows and 500,010 cells.
   */
  partItems: {
    sharedStrings: 550_000,
    sheetRows: 60_000,
    sheetCells: 550_000,
    /**
     * Elements of an .ods content.xml (or styles.xml), each of which SheetJS's OpenDocument
     * reader matches and may keep (paragraphs, spans, annotations, styles): a legitimate
     * 50,000 × 10 sheet has 1,050,036; 4 million one-letter paragraphs in one cell would take
     * it past 650 MB.
     */
    contentElements: 1_500_000,
  },
  /**
   * All the parts handed to SheetJS together: a legitimate 50,000 × 10 workbook by exceljs needs
   * 39 MiB; with every part at its budget the costliest file measured peaks at 394–396 MB (Node.js 24,
   * the worker's flags).
   */
  maxUnpackedBytes: 44 * MiB,
  /** All the parts of an .ods handed to SheetJS together: content.xml, styles.xml and the manifest. */
  odsMaxUnpackedBytes: 76 * MiB,
  /**
   * A CSV is read by our own parser: a cell longer than this many characters, or a line with
   * more cells, is refused as unreadable (a name has at most 100 characters; a groups cell a few hundred).
   */
  csv: { maxCellChars: 10_000, maxCellsPerLine: 16_384 },
  /**
   * An .xls (BIFF8 in a compound file): the compound file's structure is checked against the
   * file's real size before SheetJS reads it, and its cell records are counted (MULRK and
   * MULBLANK as the cells they hold) against partItems.sheetCells.
   */
  xls: { maxSectors: 10 * MiB / 512, maxDirectoryEntries: 4_096 },
  maxEntries: 1_000,
  /** The header row is looked for among the first rows. */
  headerSearchRows: 10,
} as const;

export type PartRole = keyof typeof importLimits.partBudgets;
export type ItemLimits = Readonly<Record<keyof typeof importLimits.partItems, number>>;
