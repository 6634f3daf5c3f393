import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';

/**
 * The legitimate workbook the limits are sized for: 50,000 data rows of 10 text columns, every
 * cell different, names up to 100 characters (their lengths run through 1 to 100).
 */
export const legitColumns = ['uid', 'first name', 'last name', 'email', 'department', 'title', 'city', 'country', 'phone', 'note'];
export function legitRows(count = 50_000): string[][] {
  const name = (seed: number, length: number) => `${'Abcdefghij'.repeat(10).slice(0, Math.max(0, length - String(seed).length))}${seed}`;
  return Array.from({ length: count }, (_, index) => [
    `U${String(100_000 + index)}`,
    name(index, 1 + ((index * 7) % 100)),
    name(index, 1 + ((index * 13) % 100)),
    `person.${index}@example.org`,
    `Department ${index}`,
    `Title of member ${index}`,
    `City ${index}`,
    `Country ${index}`,
    `+33 6 ${String(10_000_000 + index)}`,
    `Note about member ${index}`,
  ]);
}

/** The legitimate workbook as exceljs writes it (shared strings) and as SheetJS does (strings in the sheet). */
export async function legitWorkbook(writer: 'exceljs' | 'sheetjs', rows = legitRows()): Promise<Uint8Array> {
  if (writer === 'sheetjs') {
    const workbook = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([legitColumns, ...rows]), 'People');
    return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'xlsx', compression: true }));
  }
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('People');
  sheet.addRow(legitColumns);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The legitimate sheet as SheetJS writes an .ods (a 57.3 MiB content.xml). */
export function legitOds(rows = legitRows()): Uint8Array {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([legitColumns, ...rows]), 'People');
  return new Uint8Array(XLSX.write(workbook, { type: 'array', bookType: 'ods', compression: true }));
}
