import { readFileSync } from 'node:fs';
import { ImportFileError, readInvitationRows } from '../../shared/excel/read';

/**
 * Run in a fresh Node process by test/unit/archive-memory.test.ts: reads the file at argv[2]
 * as the import worker does and prints the outcome and the process's peak resident memory.
 */
const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

const bytes = new Uint8Array(readFileSync(process.argv[2]!));
const baselineMb = peakMb();
let outcome: string;
try {
  outcome = `rows:${readInvitationRows(bytes).rows.length}`;
} catch (error) {
  if (!(error instanceof ImportFileError)) throw error;
  outcome = error.code;
}
process.stdout.write(JSON.stringify({ outcome, peakMb: Math.round(peakMb()), baselineMb: Math.round(baselineMb) }));
