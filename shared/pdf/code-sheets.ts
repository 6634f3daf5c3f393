// pdfkit's CommonJS build: its ES module build finds its data files through import.meta.url, which a CommonJS bundle has not.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import PDFDocument = require('pdfkit');
import type { Language } from '../core/languages';
import { fonts, type FontName } from './fonts';
import { qrMatrix, qrQuietModules } from './qr';
import { drawLine, drawUncut, uncutLines, type TextCanvas, type TextStyle } from './text';
import { fill, readableExpiry, wording, type CodeKind } from './wording';

export type SheetLayout = 'letter' | 'cards';

/** One person's code, as printed. */
export interface PrintedCode {
  kind: CodeKind;
  organisation: string;
  personName?: string;
  signInIdentifier: string;
  /** Grouped XXXX-XXXX-XXXX-XXXX. */
  code: string;
  expiresAt: string;
  /** The page the code opens (<public URL>/sign-up or /password-reset); the QR code adds #code=. */
  pageUrl: string;
  signInUrl: string;
}

/** The address a QR code holds: the code rides in the fragment, which browsers never send to a server. */
export const codeUrl = (printed: Pick<PrintedCode, 'pageUrl' | 'code'>) => `${printed.pageUrl}#code=${printed.code}`;

const a4 = { width: 595.28, height: 841.89 };
const mm = 72 / 25.4;
const card = { width: 85 * mm, height: 54 * mm, columns: 2, rows: 5, padding: 9, qr: 84 };
export const cardsPerPage = card.columns * card.rows;
const grid = { left: (a4.width - card.columns * card.width) / 2, top: (a4.height - card.rows * card.height) / 2 };
const grey = '#555555';
const pagesBetweenLayoutResets = 10;

/**
 * Letters (one A4 page each) or cards (ten to an A4 page, with cut marks), written as a PDF
 * stream: each finished page leaves through `sink` as it is done, so memory stays flat
 * whatever the count. pdfkit's per-word layout cache makes the labels' words cheap (3× the
 * speed), but every name and code adds to it: it is emptied every few pages.
 */
export class CodeSheets {
  private readonly doc: PDFKit.PDFDocument;
  private readonly ended: Promise<void>;
  private cardsOnPage = 0;
  pages = 0;

  constructor(
    private readonly layout: SheetLayout,
    private readonly language: Language,
    sink: (chunk: Uint8Array) => void,
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      autoFirstPage: false,
      // No default font: pdfkit would load Helvetica, and a registered font already open under its own name is opened again on every font() call.
      font: null as unknown as string,
      fontLayoutCache: true,
      info: { Title: wording[language].documentTitle[layout], Producer: 'emailless' },
      lang: language,
    } as PDFKit.PDFDocumentOptions);
    for (const [name, bytes] of Object.entries(fonts()) as [FontName, Buffer][]) this.doc.registerFont(name, bytes as unknown as string);
    this.doc.on('data', sink);
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
  }

  add(printed: PrintedCode): void {
    if (this.layout === 'letter') return this.letter(printed);
    if (this.cardsOnPage === 0) {
      this.newPage();
      this.cutMarks();
    }
    const slot = this.cardsOnPage;
    this.card(printed, grid.left + (slot % card.columns) * card.width, grid.top + Math.floor(slot / card.columns) * card.height);
    this.cardsOnPage = (slot + 1) % cardsPerPage;
  }

  /** Ends the document; resolves once its last byte has gone to the sink. */
  async finish(): Promise<void> {
    if (this.pages === 0) this.newPage();
    this.doc.end();
    await this.ended;
  }

  private newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    if (++this.pages % pagesBetweenLayoutResets === 0) this.forgetLayouts();
  }

  /** pdfkit keeps the layout cache on each open font (its private _fontFamilies). */
  private forgetLayouts(): void {
    const open = (this.doc as unknown as { _fontFamilies?: Record<string, { layoutCache?: Record<string, unknown> }> })._fontFamilies;
    // package.json pins pdfkit's version; a new one that moved these fails test/unit/code-sheets.test.ts here rather than leaking.
    if (!open || Object.values(open).some((font) => font.layoutCache === undefined)) throw new Error('pdfkit no longer keeps its layout cache where this expects it');
    for (const font of Object.values(open)) font.layoutCache = Object.create(null) as Record<string, unknown>;
  }

  private readonly canvas: TextCanvas = {
    useFont: (font, size) => void this.doc.font(font).fontSize(size),
    widthOf: (text) => this.doc.widthOfString(text),
    drawAt: (text, x, y, color) => void this.doc.fillColor(color).text(text, x, y, { lineBreak: false }),
  };

  private line(text: string, x: number, y: number, width: number, style: TextStyle): void {
    drawLine(this.canvas, text, x, y, width, style);
  }

  private paragraph(text: string, x: number, y: number, width: number, size: number, color = '#000000'): number {
    this.doc.font('regular').fontSize(size).fillColor(color);
    this.doc.text(text, x, y, { width, lineGap: 2 });
    return this.doc.y;
  }

  private qr(text: string, x: number, y: number, size: number): void {
    const matrix = qrMatrix(text);
    const module = size / (matrix.size + 2 * qrQuietModules);
    const origin = { x: x + qrQuietModules * module, y: y + qrQuietModules * module };
    for (const run of matrix.runs) this.doc.rect(origin.x + run.start * module, origin.y + run.row * module, run.length * module, module);
    this.doc.fillColor('#000000').fill();
  }

  private letter(printed: PrintedCode): void {
    this.newPage();
    const words = wording[this.language];
    const margin = 56;
    const width = a4.width - 2 * margin;
    const qrSize = 170;
    const columnWidth = width - qrSize - 16;
    this.line(printed.organisation, margin, 48, width, { font: 'bold', size: 15, minSize: 9 });
    this.doc.moveTo(margin, 72).lineTo(a4.width - margin, 72).lineWidth(0.5).strokeColor('#999999').stroke();
    if (printed.personName) this.line(printed.personName, margin, 100, width, { font: 'regular', size: 20, minSize: 10 });
    this.line(fill(words.title[printed.kind], { organisation: printed.organisation }), margin, 150, width, { font: 'bold', size: 17, minSize: 10 });

    this.line(words.identifier, margin, 205, columnWidth, { font: 'regular', size: 10, color: grey });
    // A long identifier takes more lines, and what follows moves down.
    const below = Math.max(0, drawUncut(this.canvas, printed.signInIdentifier, margin, 221, columnWidth, { font: 'mono', size: 16, minSize: 7, lineHeight: 9 }) - 20);
    this.line(words.code[printed.kind], margin, 262 + below, columnWidth, { font: 'regular', size: 10, color: grey });
    this.line(printed.code, margin, 278 + below, columnWidth, { font: 'monoBold', size: 24, minSize: 12 });
    this.paragraph(fill(words.validUntil, { date: readableExpiry(printed.expiresAt, this.language) }), margin, 318 + below, columnWidth, 11);

    const qrX = a4.width - margin - qrSize;
    this.qr(codeUrl(printed), qrX, 195, qrSize);
    this.doc.font('regular').fontSize(9).fillColor(grey).text(words.scan, qrX, 195 + qrSize + 2, { width: qrSize, align: 'center' });

    let y = 420 + below;
    const addressAfterStep = [printed.pageUrl, undefined, printed.signInUrl];
    words.steps[printed.kind].forEach((step, index) => {
      this.doc.font('bold').fontSize(13).fillColor('#000000').text(`${index + 1}`, margin, y, { lineBreak: false });
      y = this.paragraph(step, margin + 24, y, width - 24, 12) + 2;
      const address = addressAfterStep[index];
      if (address) y += Math.max(16, drawUncut(this.canvas, address, margin + 24, y, width - 24, { font: 'mono', size: 12, minSize: 7, lineHeight: 9 }));
      y += 12;
    });
    this.paragraph(words.keepPrivate, margin, Math.max(y + 20, 640), width, 10, grey);
  }

  private card(printed: PrintedCode, x: number, y: number): void {
    const words = wording[this.language];
    const inner = { x: x + card.padding, y: y + card.padding, width: card.width - 2 * card.padding };
    const textWidth = inner.width - card.qr - 4;
    this.line(printed.organisation, inner.x, inner.y, inner.width, { font: 'bold', size: 8, minSize: 6 });
    if (printed.personName) this.line(printed.personName, inner.x, inner.y + 14, textWidth, { font: 'bold', size: 10.5, minSize: 6.5 });
    this.line(words.identifier, inner.x, inner.y + 34, textWidth, { font: 'regular', size: 6.5, color: grey, minSize: 5 });
    // Two lines of identifier fit before the code; a longer one moves the code down.
    const below = Math.max(0, drawUncut(this.canvas, printed.signInIdentifier, inner.x, inner.y + 42, textWidth, { font: 'mono', size: 8.5, minSize: 5, lineHeight: 6 }) - 12);
    this.line(words.code[printed.kind], inner.x, inner.y + 58 + below, textWidth, { font: 'regular', size: 6.5, color: grey, minSize: 5 });
    this.line(printed.code, inner.x, inner.y + 66 + below, textWidth, { font: 'monoBold', size: 11.5, minSize: 8 });
    this.doc.font('regular').fontSize(6).fillColor('#000000');
    this.doc.text(fill(words.cardValidUntil, { date: readableExpiry(printed.expiresAt, this.language) }), inner.x, inner.y + 83 + below, { width: textWidth, lineGap: 0.5 });
    this.qr(codeUrl(printed), x + card.width - card.padding - card.qr + 4, inner.y + 8, card.qr);
    // The steps sit at the bottom, as high as the address needs.
    const [before, after] = words.cardSteps[printed.kind];
    const address = { font: 'mono', size: 6.5, minSize: 4.5, lineHeight: 5.5 } as const;
    const addressHeight = Math.max(8.5, uncutLines(this.canvas, printed.pageUrl, inner.width, address).lines.length * address.lineHeight + 3);
    const stepsTop = y + card.height - card.padding - 16.5 - addressHeight;
    this.line(before, inner.x, stepsTop, inner.width, { font: 'regular', size: 6, minSize: 4.5, color: grey });
    drawUncut(this.canvas, printed.pageUrl, inner.x, stepsTop + 8.5, inner.width, address);
    this.line(after, inner.x, stepsTop + 8.5 + addressHeight, inner.width, { font: 'regular', size: 6, minSize: 4.5, color: grey });
  }

  /** Short marks in the margins along every cut, and a faint outline of each card. */
  private cutMarks(): void {
    const right = grid.left + card.columns * card.width;
    const bottom = grid.top + card.rows * card.height;
    const mark = (x1: number, y1: number, x2: number, y2: number) => this.doc.moveTo(x1, y1).lineTo(x2, y2);
    for (let column = 0; column <= card.columns; column++) {
      const x = grid.left + column * card.width;
      mark(x, Math.max(2, grid.top - 24), x, grid.top - 6);
      mark(x, bottom + 6, x, Math.min(a4.height - 2, bottom + 24));
    }
    for (let row = 0; row <= card.rows; row++) {
      const y = grid.top + row * card.height;
      mark(grid.left - 24, y, grid.left - 6, y);
      mark(right + 6, y, right + 24, y);
    }
    this.doc.lineWidth(0.5).strokeColor('#000000').stroke();
    this.doc.rect(grid.left, grid.top, right - grid.left, bottom - grid.top);
    for (let column = 1; column < card.columns; column++) this.doc.moveTo(grid.left + column * card.width, grid.top).lineTo(grid.left + column * card.width, bottom);
    for (let row = 1; row < card.rows; row++) this.doc.moveTo(grid.left, grid.top + row * card.height).lineTo(right, grid.top + row * card.height);
    this.doc.lineWidth(0.25).dash(2, { space: 3 }).strokeColor('#bbbbbb').stroke().undash();
  }
}
