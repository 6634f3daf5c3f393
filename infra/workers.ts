import type { Needs } from '../shared/api/route-spec';
import { importFiles } from '../shared/domain/import-files';

export interface WorkerSpec {
  handler: string;
  summary: string;
  /**
   * What starts it: an S3 "object created" under a prefix and suffix, an asynchronous
   * invoke, or Lambda giving up on another worker's invocation (its failure destination).
   */
  trigger: { kind: 's3'; prefix: string; suffix: string } | { kind: 'async' } | { kind: 'failureDestination' };
  needs: Needs;
  memoryMb: number;
  timeoutSeconds: number;
  /** Node.js flags of its process, on Lambda (NODE_OPTIONS) and in the local stack alike. */
  nodeFlags?: readonly string[];
  /** It invokes itself to go on past its timeout (granted on its own function only). */
  invokesItself?: boolean;
}

/**
 * Node.js 24 sizes V8's young generation from the machine's memory (up to 64 MiB a semi-space),
 * which lets a spreadsheet's short-lived strings pile up: the same workbook peaks 100 MB higher
 * than at 16 MiB, with no gain in speed worth the memory. The workers that read or write
 * spreadsheets keep it at 16 MiB, so their peak stays where test/unit/archive-memory.test.ts
 * measures it.
 */
export const spreadsheetWorkerFlags = ['--max-semi-space-size=16'] as const;

/**
 * The import worker's peak was mostly garbage too: 282 MB for 10,000 rows and 364 MB for
 * 50,000 with V8 left to size its old generation from the machine, 200 and 226 MB with 384 MiB
 * (npm run bench -- --only=import). The largest files a worker must read (every part at its
 * limit; 50,000 rows of 10 long text columns) are read with these flags in
 * test/unit/archive-memory.test.ts, under 450 and 512 MB.
 */
export const importWorkerFlags = [...spreadsheetWorkerFlags, '--max-old-space-size=384'] as const;

/**
 * The letters worker keeps some 20 MB alive (fonts, the part being filled, the pages' small
 * references), but every card leaves its strings and layouts behind; V8 lets such garbage
 * grow with the run before it collects. A 256 MiB old generation (ten times what is alive)
 * makes it collect, so the peak stays the same for 1,000 or 50,000 letters.
 */
export const letterWorkerFlags = [...spreadsheetWorkerFlags, '--max-old-space-size=256'] as const;

/** Functions that no route calls. The CDK stack and the local stack wire them from here. */
export const workers = {
  importFile: {
    handler: 'functions/imports/import-file.ts',
    summary: 'Imports an uploaded .xlsx of invitations',
    trigger: { kind: 's3', prefix: importFiles.prefix, suffix: importFiles.uploadSuffix },
    needs: { table: 'readWrite', bucket: 'readWrite', secrets: ['codeKey'] },
    memoryMb: 1024,
    timeoutSeconds: 900,
    nodeFlags: importWorkerFlags,
  },
  exportInvitations: {
    handler: 'functions/exports/export-invitations.ts',
    summary: 'Writes the .xlsx of all invitations for an export',
    trigger: { kind: 'async' },
    needs: { table: 'readWrite', bucket: 'readWrite', secrets: ['codeKey'] },
    memoryMb: 1024,
    timeoutSeconds: 900,
    nodeFlags: spreadsheetWorkerFlags,
  },
  printLetters: {
    handler: 'functions/letters/print-letters.ts',
    summary: 'Writes the PDF of a letter run (letters or cards with QR codes), streamed to S3',
    trigger: { kind: 'async' },
    needs: { table: 'readWrite', bucket: 'write', secrets: ['codeKey'], publicUrl: true },
    memoryMb: 1024,
    timeoutSeconds: 900,
    nodeFlags: letterWorkerFlags,
  },
  sweepTenant: {
    handler: 'functions/tenants/sweep-tenant.ts',
    summary: 'Deletes every item and file of an organisation being deleted, in resumable pages, then frees its domain',
    trigger: { kind: 'async' },
    needs: { table: 'readWrite', bucket: 'delete' },
    memoryMb: 512,
    timeoutSeconds: 900,
    invokesItself: true,
  },
  markFailedJob: {
    handler: 'functions/jobs/mark-failed-job.ts',
    summary: 'Marks an import, export or letter run failed once Lambda has given up on its worker',
    trigger: { kind: 'failureDestination' },
    needs: { table: 'readWrite' },
    memoryMb: 256,
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, WorkerSpec>;

export type WorkerName = keyof typeof workers;
export const workerList: readonly (WorkerSpec & { name: WorkerName })[] = Object.entries(workers).map(([name, spec]) => ({ name: name as WorkerName, ...spec }));
