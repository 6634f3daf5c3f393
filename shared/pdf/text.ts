import type { FontName } from './fonts';

/** Arabic, Hebrew, Syriac, Thaana, N'Ko and their presentation forms. */
const rightToLeft = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const strong = /[\p{L}]/u;

/**
 * The words of a line in the order they are drawn, left to right. Within a word the font's
 * layout joins and orders the letters (fontkit reverses an Arabic run), but it lays a line
 * out as one run, so a right-to-left line would get its words in reading order from the
 * left. A line whose first letter is right-to-left is drawn with its words from the right:
 * word-level bidi, which is what a name needs (one script, or Latin words within Arabic).
 */
export function visualWords(text: string): string[] {
  const words = text.split(/\s+/).filter((word) => word !== '');
  const firstLetter = [...text].find((character) => strong.test(character));
  return firstLetter !== undefined && rightToLeft.test(firstLetter) ? words.reverse() : words;
}

export interface TextStyle {
  font: FontName;
  size: number;
  /** Smallest size the text may shrink to before it is cut with an ellipsis. */
  minSize?: number;
  color?: string;
}

/** What text drawing needs from a PDF document: kept narrow so that the layout code is testable. */
export interface TextCanvas {
  useFont(font: FontName, size: number): void;
  widthOf(text: string): number;
  drawAt(text: string, x: number, y: number, color: string): void;
}

/**
 * Draws one line of text at (x, y) within width: shrunk down to minSize if it does not fit,
 * then cut with "…". Words are placed one by one in visual order (see visualWords).
 */
export function drawLine(canvas: TextCanvas, text: string, x: number, y: number, width: number, style: TextStyle): void {
  let size = style.size;
  const minSize = style.minSize ?? style.size;
  let words = visualWords(text);
  const measure = () => {
    canvas.useFont(style.font, size);
    const space = canvas.widthOf(' ');
    return words.reduce((sum, word, index) => sum + canvas.widthOf(word) + (index > 0 ? space : 0), 0);
  };
  let total = measure();
  while (total > width && size > minSize) {
    size = Math.max(minSize, size - 0.5);
    total = measure();
  }
  if (total > width) words = cutToWidth(canvas, words, width);
  canvas.useFont(style.font, size);
  const space = canvas.widthOf(' ');
  let cursor = x;
  for (const word of words) {
    canvas.drawAt(word, cursor, y, style.color ?? '#000000');
    cursor += canvas.widthOf(word) + space;
  }
}

function cutToWidth(canvas: TextCanvas, words: string[], width: number): string[] {
  const joined = words.join(' ');
  const characters = [...joined];
  while (characters.length > 1 && canvas.widthOf(`${characters.join('')}…`) > width) characters.pop();
  return [`${characters.join('').trimEnd()}…`];
}
