/** Documented and enforced limits of an import; kept apart from the reader so API bundles stay free of SheetJS. */
export const importLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  /**
   * What the archive may unpack to, counted while inflating (declared sizes can lie). SheetJS
   * needs up to about 20 bytes of memory per unpacked byte (a flood of tiny styles or strings),
   * so 16 MiB keeps the worst file near 420 MB, under half the worker's 1 GB; 50,000 rows of
   * three short columns unpack to about 12 MiB.
   */
  maxUnpackedBytes: 16 * 1024 * 1024,
  maxEntries: 1_000,
  /** The header row is looked for among the first rows. */
  headerSearchRows: 10,
} as const;

