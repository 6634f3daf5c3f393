import regular from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
import bold from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf';
import mono from 'dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf';
import monoBold from 'dejavu-fonts-ttf/ttf/DejaVuSansMono-Bold.ttf';

/**
 * DejaVu Sans has Latin (Vietnamese included), Cyrillic, Greek and Arabic in one free font,
 * so a name in any of them prints without a fallback chain. The files are inside the bundle
 * (esbuild's binary loader), so the function reads no file at run time; pdfkit embeds only
 * the glyphs a document uses.
 */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export const fonts = {
  regular: asBuffer(regular),
  bold: asBuffer(bold),
  mono: asBuffer(mono),
  monoBold: asBuffer(monoBold),
} as const;

export type FontName = keyof typeof fonts;
