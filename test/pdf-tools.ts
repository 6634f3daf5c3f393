import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reading a PDF back as a person would: poppler-utils for its pages and text, zbar-tools for
 * the QR codes on a rendered page (Debian packages; .ci/run installs them).
 */
function withPdf<T>(pdf: Uint8Array, read: (file: string, directory: string) => T): T {
  const directory = mkdtempSync(join(tmpdir(), 'emailless-pdf-'));
  try {
    const file = join(directory, 'document.pdf');
    writeFileSync(file, pdf);
    return read(file, directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function pageCount(pdf: Uint8Array): number {
  return withPdf(pdf, (file) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]));
}

/** The text of each page (pdftotext separates pages with a form feed). */
export function pageTexts(pdf: Uint8Array): string[] {
  return withPdf(pdf, (file) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\f').slice(0, -1));
}

/** One page as a PNG, at a resolution an office printer and a phone camera both manage. */
export function renderPage(pdf: Uint8Array, page: number, dpi = 150): Buffer {
  return withPdf(pdf, (file, directory) => {
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', file, join(directory, 'page')]);
    return readFileSync(join(directory, 'page.png'));
  });
}

/** Every QR code zbarimg finds on a PNG, in no particular order. */
export function decodeQrCodes(png: Uint8Array): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'emailless-qr-'));
  try {
    const file = join(directory, 'page.png');
    writeFileSync(file, png);
    let output = '';
    try {
      output = execFileSync('zbarimg', ['-q', '--raw', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (error) {
      // zbarimg exits 4 when it finds no code.
      if ((error as { status?: number }).status !== 4) throw error;
    }
    return output.split('\n').filter((line) => line !== '');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
