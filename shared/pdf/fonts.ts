import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import regular from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
import bold from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';
import mono from 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf';
import monoBold from 'dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf';

/**
 * DejaVu Sans has Latin (Vietnamese included), Cyrillic, Greek and Arabic in one free font,
 * so a name in any of them prints without a fallback chain. esbuild's file loader puts the
 * font files beside the bundle (in the Lambda's package, not in its JavaScript: 2 MB that a
 * cold start would otherwise parse) and each import is the file's path from the bundle.
 * They are read on first use; pdfkit embeds only the glyphs a document uses.
 */
const files = { regular, bold, mono, monoBold } as const;

export type FontName = keyof typeof files;

let loaded: Record<FontName, Buffer> | undefined;

export function fonts(): Record<FontName, Buffer> {
  loaded ??= Object.fromEntries(Object.entries(files).map(([name, path]) => [name, readFileSync(resolve(__dirname, path))])) as Record<FontName, Buffer>;
  return loaded;
}
