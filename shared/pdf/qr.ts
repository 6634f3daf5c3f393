import QRCode from 'qrcode';

/** The dark modules of a QR code as rows of runs, to draw as few rectangles as the code has runs. */
export interface QrMatrix {
  size: number;
  runs: { row: number; start: number; length: number }[];
}

/** Error correction M (15 %): a printed code still scans with a crease or a smudge. */
export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: QrMatrix['runs'] = [];
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let column = 0; column <= modules.size; column++) {
      const dark = column < modules.size && modules.get(row, column);
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push({ row, start, length: column - start });
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}

/** Modules a scanner wants left blank around the code. */
export const qrQuietModules = 4;
