/** Documented and enforced limits of an import; kept apart from the reader so API bundles stay free of SheetJS. */
export const importLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxRows: 50_000,
  /** What the archive may unpack to, counted while inflating (declared sizes can lie). */
  maxUnpackedBytes: 200 * 1024 * 1024,
  maxEntries: 1_000,
  /** The header row is looked for among the first rows. */
  headerSearchRows: 10,
} as const;

