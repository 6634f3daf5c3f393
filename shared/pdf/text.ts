import type { FontName } from './fonts';

/** Arabic, Hebrew, Syriac, Thaana, N'Ko and their presentation forms. */
const rightToLeft = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const strong = /\p{L}/u;

/** A word's direction from its first letter; a word without letters (digits, signs) has none of its own. */
function directionOf(word: string): 'rtl' | 'ltr' | undefined {
  const letter = [...word].find((character) => strong.test(character));
  return letter === undefined ? undefined : rightToLeft.test(letter) ? 'rtl' : 'ltr';
}

/**
 * The words of a line in the order they are drawn, left to right: word-level bidi. Within a
 * word the font's layout joins and orders the letters (fontkit reverses an Arabic run), but
 * the order of words is ours to give. The line takes the direction of its first letter; a
 * run of words of the other direction keeps its own reading order inside it (so an Arabic
 * organisation in an English title, or a Latin word in an Arabic name, reads right). Words
 * without letters go with the line. Not done: digits inside an Arabic word stay reversed.
 */
export function visualWords(text: string): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const line = directionOf(text) ?? 'ltr';
  const runs: { direction: 'rtl' | 'ltr'; words: string[] }[] = [];
  for (const word of words) {
    const direction = directionOf(word) ?? line;
    const last = runs.at(-1);
    if (last?.direction === direction) last.words.push(word);
    else runs.push({ direction, words: [word] });
  }
  const ordered = runs.map((run) => (run.direction === 'rtl' ? [...run.words].reverse() : run.words));
  return (line === 'rtl' ? ordered.reverse() : ordered).flat();
}

export interface TextStyle {
  font: FontName;
  size: number;
  /** Smallest size the text may shrink to before it is cut with an ellipsis (or wrapped, for wrapped text). */
  minSize?: number;
  color?: string;
}

/** What text drawing needs from a PDF document: kept narrow so that the layout code is testable. */
export interface TextCanvas {
  useFont(font: FontName, size: number): void;
  widthOf(text: string): number;
  drawAt(text: string, x: number, y: number, color: string): void;
}

function widthOfLine(canvas: TextCanvas, words: string[]): number {
  const space = canvas.widthOf(' ');
  return words.reduce((sum, word, index) => sum + canvas.widthOf(word) + (index > 0 ? space : 0), 0);
}

/** The largest size from style.size down to minSize (half a point at a time) at which the text fits; minSize if none. */
function fittingSize(canvas: TextCanvas, text: string, width: number, style: TextStyle): number {
  const words = visualWords(text);
  let size = style.size;
  const minSize = style.minSize ?? style.size;
  for (;;) {
    canvas.useFont(style.font, size);
    if (widthOfLine(canvas, words) <= width || size <= minSize) return size;
    size = Math.max(minSize, size - 0.5);
  }
}

function drawWords(canvas: TextCanvas, words: string[], x: number, y: number, color: string): void {
  const space = canvas.widthOf(' ');
  let cursor = x;
  for (const word of words) {
    canvas.drawAt(word, cursor, y, color);
    cursor += canvas.widthOf(word) + space;
  }
}

/**
 * Draws one line of text at (x, y) within width: shrunk down to minSize if it does not fit,
 * then cut with "…" (in reading order, so a right-to-left name loses its end, not its start).
 * For names and labels; identifiers, codes and addresses use drawUncut.
 */
export function drawLine(canvas: TextCanvas, text: string, x: number, y: number, width: number, style: TextStyle): void {
  const size = fittingSize(canvas, text, width, style);
  canvas.useFont(style.font, size);
  let shown = text;
  if (widthOfLine(canvas, visualWords(shown)) > width) {
    const characters = [...text.trim()];
    while (characters.length > 1 && widthOfLine(canvas, visualWords(`${characters.join('')}…`)) > width) characters.pop();
    shown = `${characters.join('').trimEnd()}…`;
  }
  drawWords(canvas, visualWords(shown), x, y, style.color ?? '#000000');
}

/**
 * Text a person must type exactly (an identifier, an address), laid out to be drawn uncut:
 * shrunk down to minSize, then broken over as many lines as it needs, after a ':', '.', '/'
 * or '-' where one falls near the end of a line.
 */
export function uncutLines(canvas: TextCanvas, text: string, width: number, style: TextStyle): { size: number; lines: string[] } {
  const size = fittingSize(canvas, text, width, style);
  canvas.useFont(style.font, size);
  const lines: string[] = [];
  let rest = text;
  while (canvas.widthOf(rest) > width && rest.length > 1) {
    let end = rest.length;
    while (end > 1 && canvas.widthOf(rest.slice(0, end)) > width) end--;
    const breakAt = Math.max(...[':', '.', '/', '-'].map((mark) => rest.lastIndexOf(mark, end - 1)));
    if (breakAt >= end * 0.6) end = breakAt + 1;
    lines.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  lines.push(rest);
  return { size, lines };
}

/** Draws text laid out by uncutLines, `lineHeight` apart; answers the height it took. */
export function drawUncut(canvas: TextCanvas, text: string, x: number, y: number, width: number, style: TextStyle & { lineHeight: number }): number {
  const { size, lines } = uncutLines(canvas, text, width, style);
  canvas.useFont(style.font, size);
  lines.forEach((line, index) => canvas.drawAt(line, x, y + index * style.lineHeight, style.color ?? '#000000'));
  return lines.length * style.lineHeight;
}
