import { Zip, ZipDeflate } from 'fflate';

export type CellValue = string | number | null | undefined;

const escapeXml = (text: string) =>
  text
    // Characters XML 1.0 cannot hold at all.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

/** What a spreadsheet would run as a formula if it were typed in (or pasted as CSV). */
export const looksLikeFormula = (text: string) => /^[=+\-@\t\r\n]/.test(text);

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

const styles = {
  plain: 0,
  header: 1,
  /** Text that looks like a formula: stored as text, and quotePrefix keeps it text when edited. */
  literalText: 2,
};

const relationships = (targets: string[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${targets.join('')}</Relationships>`;

const staticParts: Record<string, string> = {
  '_rels/.rels': relationships(['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>']),
  'xl/styles.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1" applyNumberFormat="1"/></cellXfs></styleSheet>',
};

/** The parts that name every sheet: written last, when the sheets are known. */
function sheetListParts(sheetNames: string[]): Record<string, string> {
  const numbers = sheetNames.map((_, index) => index + 1);
  return {
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${numbers.map((n) => `<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    'xl/_rels/workbook.xml.rels': relationships([
      ...numbers.map((n) => `<Relationship Id="rId${n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${n}.xml"/>`),
      `<Relationship Id="rId${numbers.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`,
    ]),
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheetNames.map((name, index) => `<sheet name="${escapeXml(name.slice(0, 31))}" sheetId="${index + 1}" r:id="rId${index + 1}"/>`).join('')}</sheets></workbook>`,
  };
}

/**
 * Writes an .xlsx row by row into a deflate stream, so that memory grows with the compressed
 * file, not with the number of cells. Every text cell is an inline string, never a formula.
 * It starts with one sheet; `addSheet` ends that one and starts the next.
 */
export class XlsxWriter {
  private readonly chunks: Uint8Array[] = [];
  private readonly zip: Zip;
  private sheet!: ZipDeflate;
  private readonly sheetNames: string[] = [];
  private pending: string[] = [];
  private pendingLength = 0;
  private rowCount = 0;
  private failure: Error | undefined;

  constructor(sheetName: string, header: string[]) {
    this.zip = new Zip((error, chunk) => {
      if (error) this.failure = error;
      else this.chunks.push(chunk);
    });
    for (const [name, content] of Object.entries(staticParts)) this.addPart(name, content);
    this.startSheet(sheetName, header);
  }

  private addPart(name: string, content: string): void {
    const part = new ZipDeflate(name, { level: 6 });
    this.zip.add(part);
    part.push(new TextEncoder().encode(content), true);
  }

  private startSheet(sheetName: string, header: string[]): void {
    this.sheetNames.push(sheetName);
    this.rowCount = 0;
    this.sheet = new ZipDeflate(`xl/worksheets/sheet${this.sheetNames.length}.xml`, { level: 6 });
    this.zip.add(this.sheet);
    this.write(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>',
    );
    this.addRow(header, styles.header);
  }

  private endSheet(): void {
    this.write('</sheetData></worksheet>');
    this.flush(true);
  }

  /** Ends the current sheet and starts another, with its header row. */
  addSheet(sheetName: string, header: string[]): void {
    this.endSheet();
    this.startSheet(sheetName, header);
  }

  private write(xml: string): void {
    this.pending.push(xml);
    this.pendingLength += xml.length;
    if (this.pendingLength > 64 * 1024) this.flush(false);
  }

  private flush(final: boolean): void {
    this.sheet.push(new TextEncoder().encode(this.pending.join('')), final);
    this.pending = [];
    this.pendingLength = 0;
  }

  addRow(values: readonly CellValue[], style = styles.plain): void {
    const row = ++this.rowCount;
    const cells = values.map((value, index) => {
      if (value === null || value === undefined || value === '') return '';
      const ref = `${columnName(index)}${row}`;
      if (typeof value === 'number') return `<c r="${ref}"><v>${value}</v></c>`;
      const cellStyle = style === styles.plain && looksLikeFormula(value) ? styles.literalText : style;
      return `<c r="${ref}" t="inlineStr"${cellStyle ? ` s="${cellStyle}"` : ''}><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
    });
    this.write(`<row r="${row}">${cells.join('')}</row>`);
  }

  /** The finished file. The writer cannot be used after this. */
  finish(): Buffer {
    this.endSheet();
    for (const [name, content] of Object.entries(sheetListParts(this.sheetNames))) this.addPart(name, content);
    this.zip.end();
    if (this.failure) throw this.failure;
    return Buffer.concat(this.chunks);
  }
}

export const xlsxContentType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
