import { keys } from '../../shared/db/keys';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compare, hash } from 'bcryptjs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalStack } from '../../infra/local/stack';
import { loadHandlers, lambdaContext } from '../../infra/local/gateway';
import type { ProcessReport } from '../../infra/local/invoker';
import { localDynamoDbClient } from '../../infra/local/dynamodb';
import * as XLSX from 'xlsx';
import { XlsxWriter } from '../../shared/excel/write';
import { measureBundles, type BundleFigure } from './bundles';
import { mannWhitneyZ, median, peakMemoryDuring, percentile, pollUntil, sideBySide, timeEach } from './measure';

/**
 * `npm run bench`: every benchmark in one run against the local stack, each figure beside
 * a baseline measured in the same run on the same machine, so that ratios hold on a noisy one.
 */
interface Row {
  benchmark: string;
  figure: string;
  baseline: string;
  ratio?: number;
  target: string;
  met: boolean;
}

const rows: Row[] = [];
/** `npm run bench -- --only import,me` runs some sections; all by default. */
const onlyArgument = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const want = (section: string) => !onlyArgument || onlyArgument.split(',').includes(section);
/** The cost the CDK stack configures on AWS (BCRYPT_COST=11): the target speaks of the configured cost. */
const bcryptCost = 11;

async function main() {
  const workerReports: { name: string; report: ProcessReport }[] = [];
  const stack = await startLocalStack({
    workerProcessReports: (name, report) => workerReports.push({ name, report }),
    port: 0,
    operatorKey: randomBytes(16).toString('hex'),
    codeKey: randomBytes(32).toString('base64url'),
    bcryptCost,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
  });
  /**
   * The worker's own report (peak memory) comes when its process exits, which may be a moment
   * after it marked its job completed in the table: wait for it rather than miss it.
   */
  const reportsOf = (name: string) => workerReports.filter((entry) => entry.name === name).map((entry) => entry.report);
  const workerReport = async (name: string, earlierRuns = 0): Promise<ProcessReport | undefined> => {
    const deadline = Date.now() + 30_000;
    while (reportsOf(name).length <= earlierRuns && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return reportsOf(name)[earlierRuns];
  };
  const operatorKey = process.env.OPERATOR_KEY!;
  const tableName = process.env.TABLE_NAME!;
  const raw = DynamoDBDocumentClient.from(localDynamoDbClient(stack.endpoints.dynamoDb), { marshallOptions: { removeUndefinedValues: true } });
  /** One raw BatchWrite of up to 25 puts, repeated until nothing is left unprocessed: the baseline's own loop. */
  const writeBatch = async (requests: unknown[]) => {
    let pending: unknown[] | undefined = requests;
    while (pending && pending.length > 0) {
      const answer: { UnprocessedItems?: Record<string, unknown[]> } = await raw.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
      pending = answer.UnprocessedItems?.[tableName];
    }
  };
  const api = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'x-operator-key': operatorKey,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: (text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  const direct = await loadHandlers(['functions/me/get-me.ts', 'functions/auth/sign-in.ts', 'functions/sign-up/sign-up.ts']);
  /** Calls a route's handler as Lambda would, without the local gateway's HTTP hop. */
  const invoke = (file: string, method: string, path: string, options: { token?: string; body?: unknown }) =>
    direct.get(file)!(
      {
        version: '2.0',
        routeKey: `${method} ${path}`,
        rawPath: path,
        rawQueryString: '',
        headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
        // A new client address each call, so that brute-force counters never throttle the benchmark.
        requestContext: { requestId: 'bench', http: { method, path, protocol: 'HTTP/1.1', sourceIp: `10.${randomBytes(3).join('.')}`, userAgent: 'bench' } },
        ...(options.body ? { body: JSON.stringify(options.body) } : {}),
        isBase64Encoded: false,
      },
      lambdaContext('bench'),
    ) as Promise<{ statusCode: number }>;

  try {
    const domain = `bench-${randomBytes(4).toString('hex')}.example`;
    const password = 'bench admin password';
    const tenant = await api('POST', '/v1/tenants', { body: { name: 'Bench', domain, admin: { email: `admin@${domain}`, password } } });
    const tenantId = (tenant.body.tenant as { id: string }).id;
    const adminId = (tenant.body.admin as { id: string }).id;
    const signIn = () => api('POST', '/v1/auth/sign-in', { body: { identifier: `admin@${domain}`, password } });
    let token = (await signIn()).body.token as string;
    await api('PATCH', '/v1/admin/settings', { token, body: { signInWithoutEmail: true } });

    // Sign-in against one bare bcrypt.compare at the same cost.
    if (want('signin')) {
    const storedHash = await hash(password, bcryptCost);
    const signInDirect = () => invoke('functions/auth/sign-in.ts', 'POST', '/v1/auth/sign-in', { body: { identifier: `admin@${domain}`, password } });
    const { measured: signIns, baseline: compares } = await sideBySide(40, 1, signInDirect, () => compare(password, storedHash), 5);
    const viaGateway = await timeEach(40, 1, signIn);
    const signInRatio = median(signIns) / median(compares);
    rows.push({
      benchmark: `sign-in handler (bcrypt cost ${bcryptCost}), median of 40; through the local gateway ${median(viaGateway).toFixed(1)} ms`,
      figure: `${median(signIns).toFixed(1)} ms`,
      baseline: `bcrypt.compare ${median(compares).toFixed(1)} ms`,
      ratio: signInRatio,
      target: '≤ 1.2×',
      met: signInRatio <= 1.2,
    });
    }

    // A fresh session: the sign-in benchmark opened more sessions than a user keeps, which ended the first.
    token = (await signIn()).body.token as string;

    // Wrong uid and wrong password must not be told apart by their timing: 400 pairs, each
    // pair in a random order, compared by their medians and by a Mann-Whitney U test.
    if (want('enumeration')) {
      const people = 100;
      const pairs = 400;
      const invited = await api('POST', '/v1/admin/invitations', { token, body: { invitations: Array.from({ length: people }, (_, index) => ({ uid: `T${index}`, role: 'member' })) } });
      const codes = (invited.body.items as { accessCode: string }[]).map((item) => item.accessCode);
      for (const accessCode of codes) await invoke('functions/sign-up/sign-up.ts', 'POST', '/v1/sign-up', { body: { accessCode, password: 'timing bench password' } });
      // Each uid fails pairs / people = 4 times, far from its limit of 10 a window.
      let next = 0;
      let unknown = 0;
      const wrongUidOnce = () => invoke('functions/auth/sign-in.ts', 'POST', '/v1/auth/sign-in', { body: { identifier: `Nobody${unknown++}:${domain}`, password: 'not the password' } });
      const wrongPasswordOnce = () => invoke('functions/auth/sign-in.ts', 'POST', '/v1/auth/sign-in', { body: { identifier: `T${next++ % people}:${domain}`, password: 'not the password' } });
      const timed = async (action: () => Promise<{ statusCode: number }>) => {
        const begin = performance.now();
        const { statusCode } = await action();
        if (statusCode !== 401) throw new Error(`a refusal answered ${statusCode}`);
        return performance.now() - begin;
      };
      const wrongUid: number[] = [];
      const wrongPassword: number[] = [];
      for (let pair = 0; pair < pairs; pair++) {
        if (Math.random() < 0.5) {
          wrongUid.push(await timed(wrongUidOnce));
          wrongPassword.push(await timed(wrongPasswordOnce));
        } else {
          wrongPassword.push(await timed(wrongPasswordOnce));
          wrongUid.push(await timed(wrongUidOnce));
        }
      }
      const gap = Math.abs(median(wrongUid) - median(wrongPassword)) / median(wrongPassword);
      rows.push({
        benchmark: `sign-in refusals, median of ${pairs} alternating pairs: wrong uid against wrong password`,
        figure: `wrong uid ${median(wrongUid).toFixed(1)} ms`,
        baseline: `wrong password ${median(wrongPassword).toFixed(1)} ms`,
        ratio: median(wrongUid) / median(wrongPassword),
        target: 'within 10%',
        met: gap <= 0.1,
      });
      const z = mannWhitneyZ(wrongUid, wrongPassword);
      rows.push({
        benchmark: `sign-in refusals, Mann-Whitney U over the same ${pairs} pairs: wrong uid against wrong password`,
        figure: `z = ${z.toFixed(2)}`,
        baseline: 'indistinguishable: |z| < 2',
        target: '|z| < 2',
        met: Math.abs(z) < 2,
      });
    }

    // GET /v1/me against one raw GetItem round trip, at the same concurrency: for the admin
    // (no groups) and for a member who joined two default groups on sign-up.
    // After the sign-in benchmark the admin holds as many sessions as a user keeps, the member one: both ends.
    const sessionsOf = async (userId: string) =>
      Object.keys(((await raw.send(new GetCommand({ TableName: tableName, Key: keys.user(tenantId, userId) }))).Item?.sessions ?? {}) as object).length;
    const callers: { who: string; token: string; userId: string }[] = [{ who: `admin, no groups, ${await sessionsOf(adminId)} open sessions`, token, userId: adminId }];
    if (want('me')) {
      for (const name of ['Morning shift', 'Warehouse']) await api('POST', '/v1/admin/groups', { token, body: { name, isDefault: true } });
      const invited = await api('POST', '/v1/admin/invitations', { token, body: { invitations: [{ uid: 'Grouped1', role: 'member' }] } });
      const signedUp = await api('POST', '/v1/sign-up', { body: { accessCode: (invited.body.items as { accessCode: string }[])[0]!.accessCode, password: 'member bench password' } });
      const member = signedUp.body as { token: string; user: { id: string } };
      callers.push({ who: `member in 2 groups, ${await sessionsOf(member.user.id)} open session`, token: member.token, userId: member.user.id });
    }
    for (const [concurrency, caller] of want('me') ? ([[1, callers[0]!], [8, callers[0]!], [1, callers[1]!], [8, callers[1]!]] as const) : []) {
      const meDirect = async () => {
        const answer = await invoke('functions/me/get-me.ts', 'GET', '/v1/me', { token: caller.token });
        if (answer.statusCode !== 200) throw new Error(`GET /v1/me answered ${answer.statusCode}`);
      };
      const readUser = () => raw.send(new GetCommand({ TableName: tableName, Key: keys.user(tenantId, caller.userId), ConsistentRead: true }));
      const { measured: me, baseline: getItem } = await sideBySide(400, concurrency, meDirect, readUser);
      const meViaGateway = await timeEach(400, concurrency, () => api('GET', '/v1/me', { token: caller.token }));
      const ratio = median(me) / median(getItem);
      rows.push({
        benchmark: `GET /v1/me handler (${caller.who}), ${concurrency} in flight, median of 400 (p99 ${percentile(me, 99).toFixed(1)} ms); through the local gateway ${median(meViaGateway).toFixed(2)} ms`,
        figure: `${median(me).toFixed(2)} ms`,
        baseline: `GetItem ${median(getItem).toFixed(2)} ms`,
        ratio,
        target: '≤ 1.5×',
        met: ratio <= 1.5,
      });
    }

    // Imports of 10,000 and 50,000 rows against the safe-write floor of the same items, measured in the same run.
    if (want('import')) {
    // Loaded once the stack has set the configuration they read.
    const { writesInFlight } = await import('../../shared/domain/import-worker');
    const { pendingInvitationItem } = await import('../../shared/db/invitations');
    const staffFile = (rowCount: number, prefix: string) => {
      const writer = new XlsxWriter('Staff', ['uid', 'first name', 'last name']);
      for (let index = 0; index < rowCount; index++) writer.addRow([`${prefix}${100000 + index}`, `First${index}`, `Last${index}`]);
      return writer.finish();
    };
    const runImport = async (file: Uint8Array) => {
      const created = await api('POST', '/v1/admin/imports', { token, body: { fileName: 'bench.xlsx' } });
      const begin = performance.now();
      await fetch(created.body.uploadUrl as string, { method: 'PUT', headers: created.body.uploadHeaders as Record<string, string>, body: file });
      const uploadedAt = Date.now();
      const final = await pollUntil(
        () => api('GET', `/v1/admin/imports/${created.body.id as string}`, { token }),
        (answer) => answer.body.status === 'completed' || answer.body.status === 'failed',
        300_000,
        50,
      );
      const seconds = (performance.now() - begin) / 1000;
      const item = (await raw.send(new GetCommand({ TableName: tableName, Key: keys.import(tenantId, created.body.id as string), ConsistentRead: true }))).Item ?? {};
      return { seconds, final: final.body, uploadToEventMs: Date.parse(item.claimedAt as string) - uploadedAt, phasesMs: (item.phasesMs ?? {}) as Record<string, number> };
    };
    /** Where the import's time went: upload to event, the worker's phases, and the rest (final write, the poll's interval). */
    const breakdown = (run: Awaited<ReturnType<typeof runImport>>) => {
      const phases = { 'upload→event': run.uploadToEventMs, ...run.phasesMs };
      const rest = run.seconds * 1000 - Object.values(phases).reduce((sum, ms) => sum + ms, 0);
      return Object.entries({ ...phases, 'finish+poll': rest }).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)}`).join(', ') + ' s';
    };
    // The floor writes the very items an import writes (table, code index and listing index), built beforehand.
    const rawTenant = `raw${randomBytes(6).toString('hex')}`;
    const sample = { tenantId: rawTenant, role: 'member' as const, groupIds: [], status: 'pending' as const, firstName: 'First', lastName: 'Last', createdAt: new Date().toISOString(), createdBy: 'bench', expiresAt: new Date().toISOString(), codeCiphertext: 'y'.repeat(90), importId: 'bench' };
    let rawRow = 0;
    const rawItems = (count: number) => Array.from({ length: count }, () => {
      const uid = `r${rawRow++}`;
      return pendingInvitationItem({ ...sample, id: `${uid}-x`, uid, codeHash: randomBytes(32).toString('hex') });
    });
    const rate = async (count: number, write: (items: Record<string, unknown>[]) => Promise<void>) => {
      const items = rawItems(count);
      const begin = performance.now();
      await write(items);
      return count / ((performance.now() - begin) / 1000);
    };
    const transactionSize = 100;
    const floors = {
      batchWrite: (items: Record<string, unknown>[]) => timeEach(items.length / 25, 8, async () => writeBatch(items.splice(0, 25).map((Item) => ({ PutRequest: { Item } })))).then(() => undefined),
      transactions: (items: Record<string, unknown>[]) =>
        timeEach(items.length / transactionSize, 8, async () => {
          const batch = items.splice(0, transactionSize);
          await raw.send(new TransactWriteCommand({ TransactItems: batch.map((Item) => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } })) }));
        }).then(() => undefined),
      puts: (items: Record<string, unknown>[]) =>
        timeEach(items.length, writesInFlight, async () => {
          await raw.send(new PutCommand({ TableName: tableName, Item: items.pop()!, ConditionExpression: 'attribute_not_exists(pk)' }));
        }).then(() => undefined),
    };
    /** The safe-write floor: conditional transactions and conditional puts, each half before and half after the import, so that drift falls on both. */
    const aroundImport = async <T>(rows: number, work: () => Promise<T>) => {
      const before = { transactions: await rate(rows / 2, floors.transactions), puts: await rate(rows / 2, floors.puts) };
      const result = await work();
      const after = { transactions: await rate(rows / 2, floors.transactions), puts: await rate(rows / 2, floors.puts) };
      const both = (a: number, b: number) => 2 / (1 / a + 1 / b);
      return { result, transactions: both(before.transactions, after.transactions), puts: both(before.puts, after.puts) };
    };
    // DynamoDB Local's JVM writes several times faster once warm: warm it up before timing any side.
    await rate(10_000, floors.batchWrite);
    const importsBefore = reportsOf('importFile').length;
    await runImport(staffFile(2000, 'W'));
    await workerReport('importFile', importsBefore);
    const batchWriteRate = await rate(10_000, floors.batchWrite);
    for (const [importRows, prefix] of [[10_000, 'B'], [50_000, 'L']] as const) {
      const reportsBefore = reportsOf('importFile').length;
      const file = staffFile(importRows, prefix);
      const measured = await aroundImport(Math.min(importRows, 20_000), () => runImport(file));
      const imported = measured.result;
      if (imported.final.invitedCount !== importRows) throw new Error(`import invited ${String(imported.final.invitedCount)} of ${importRows}`);
      const floor = Math.max(measured.transactions, measured.puts);
      const importRate = importRows / imported.seconds;
      const report = await workerReport('importFile', reportsBefore);
      rows.push({
        benchmark: `import of a ${importRows}-row .xlsx (upload to completed), one conditional put a row, ${writesInFlight} in flight; ${breakdown(imported)}`,
        figure: `${importRate.toFixed(0)} rows/s`,
        baseline: `floor ${floor.toFixed(0)} rows/s: the faster of conditional puts (${measured.puts.toFixed(0)}, ${writesInFlight} in flight) and conditional transactions of ${transactionSize} (${measured.transactions.toFixed(0)}, 8 in flight)`,
        ratio: importRate / floor,
        target: '≥ 0.8×',
        met: importRate / floor >= 0.8,
      });
      rows.push({
        benchmark: `import function: peak memory (its own process, ${importRows} rows)`,
        figure: `${report?.peakRssMb.toFixed(0) ?? '?'} MB`,
        baseline: '-',
        target: importRows === 10_000 ? '< 256 MB' : '< 1024 MB (the function has 1 GB)',
        met: report !== undefined && report.peakRssMb < (importRows === 10_000 ? 256 : 1024),
      });
    }
    // The same 10,000 people as .xlsx, .csv and .ods, imported one after another in this run: what each format costs beside the .xlsx.
    const people = (prefix: string) => Array.from({ length: 10_000 }, (_, index) => [`${prefix}${100000 + index}`, `Prénom${index}`, `Nom${index}`]);
    const formats = {
      xlsx: (prefix: string) => staffFile(10_000, prefix),
      csv: (prefix: string) => new TextEncoder().encode(['uid;prénom;nom', ...people(prefix).map((row) => row.join(';'))].join('\r\n')),
      ods: (prefix: string) => {
        const book = XLSX.utils.book_new();
        XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['uid', 'prénom', 'nom'], ...people(prefix)]), 'Staff');
        return new Uint8Array(XLSX.write(book, { bookType: 'ods', type: 'array' }) as ArrayBuffer);
      },
    };
    const byFormat: Record<string, { rate: number; peakMb?: number }> = {};
    for (const [format, build] of Object.entries(formats)) {
      const reportsBefore = reportsOf('importFile').length;
      const imported = await runImport(build(`F${format}`));
      if (imported.final.invitedCount !== 10_000) throw new Error(`${format} import invited ${String(imported.final.invitedCount)} of 10000`);
      byFormat[format] = { rate: 10_000 / imported.seconds, peakMb: (await workerReport('importFile', reportsBefore))?.peakRssMb };
    }
    for (const format of ['csv', 'ods'] as const) {
      const ratio = byFormat[format]!.rate / byFormat.xlsx!.rate;
      rows.push({
        benchmark: `import of a 10,000-row .${format} beside the same people as .xlsx, one after the other (peak memory ${byFormat[format]!.peakMb?.toFixed(0) ?? '?'} MB against ${byFormat.xlsx!.peakMb?.toFixed(0) ?? '?'} MB)`,
        figure: `${byFormat[format]!.rate.toFixed(0)} rows/s`,
        baseline: `.xlsx ${byFormat.xlsx!.rate.toFixed(0)} rows/s`,
        ratio,
        target: '≥ 0.8× the .xlsx, peak < 256 MB',
        met: ratio >= 0.8 && (byFormat[format]!.peakMb ?? Infinity) < 256,
      });
    }
    rows.push({
      benchmark: 'context: raw BatchWrite of the same items (unconditional, so not a safe floor), 8 in flight',
      figure: `${batchWriteRate.toFixed(0)} rows/s`,
      baseline: '-',
      target: 'reported',
      met: true,
    });
    }

    /** A tenant with `count` pending invitations, seeded by raw BatchWrite with the import path's own record builder. */
    const seedPendingTenant = async (letter: string, count: number) => {
      const { newInvitationRecord } = await import('../../shared/domain/invitations');
      const { pendingInvitationItem } = await import('../../shared/db/invitations');
      const seededDomain = `${letter.toLowerCase()}${domain}`;
      const created = (await api('POST', '/v1/tenants', { body: { name: `Bench ${letter}`, domain: seededDomain, admin: { email: `admin@${seededDomain}`, password } } })).body;
      const tenantId = (created.tenant as { id: string }).id;
      const token = (await api('POST', '/v1/auth/sign-in', { body: { identifier: `admin@${seededDomain}`, password } })).body.token as string;
      const inviter = { tenantId, accessCodeTtlDays: 30, userId: 'bench' };
      const begin = performance.now();
      let seeded = 0;
      await timeEach(count / 25, 8, async () => {
        const items = await Promise.all(
          Array.from({ length: 25 }, async () => {
            const index = seeded++;
            const { record } = await newInvitationRecord(inviter, { uid: `${letter}${index}`, role: 'member', groupIds: [], firstName: `First${index}`, lastName: `Last${index}` });
            return { PutRequest: { Item: pendingInvitationItem(record) } };
          }),
        );
        await writeBatch(items);
      });
      return { tenantId, token, seedSeconds: (performance.now() - begin) / 1000 };
    };

    // Export of 100,000 invitations.
    if (want('export')) {
    const exportRows = 100_000;
    const { token: exportToken, seedSeconds } = await seedPendingTenant('X', exportRows);
    const exported = await peakMemoryDuring(async () => {
      const begin = performance.now();
      const started = await api('POST', '/v1/admin/exports', { token: exportToken, body: { kind: 'invitations' } });
      const final = await pollUntil(() => api('GET', `/v1/admin/exports/${started.body.id as string}`, { token: exportToken }), (answer) => answer.body.status !== 'running', 900_000, 200);
      return { seconds: (performance.now() - begin) / 1000, final: final.body };
    });
    if (exported.result.final.count !== exportRows) throw new Error(`export wrote ${String(exported.result.final.count)} of ${exportRows}`);
    rows.push({
      benchmark: `export of ${exportRows} invitations (POST to completed)`,
      figure: `${(exportRows / exported.result.seconds).toFixed(0)} rows/s (${exported.result.seconds.toFixed(1)} s)`,
      baseline: `seeding by raw BatchWrite ${(exportRows / seedSeconds).toFixed(0)} rows/s`,
      target: 'completes',
      met: exported.result.final.status === 'completed',
    });
    const exportReport = await workerReport('exportInvitations');
    rows.push({
      benchmark: `export function: peak memory (its own process, ${exportRows} invitations)`,
      figure: `${exportReport?.peakRssMb.toFixed(0) ?? '?'} MB`,
      baseline: '-',
      target: '< 512 MB',
      met: exportReport !== undefined && exportReport.peakRssMb < 512,
    });
    }

    // Cards for 10,000 pending invitations, beside the same cards rendered in this process with no table, no decryption and no upload.
    if (want('letters')) {
    /** BENCH_CARDS=50000 measures the largest run a limit allows (about 4 minutes more). */
    const cardCount = Number(process.env.BENCH_CARDS ?? 10_000);
    // As esbuild's file loader (and test/ttf-transform.js under jest): a font import is the file's path.
    const { default: nodeModule } = await import('node:module');
    (nodeModule as unknown as { _extensions: Record<string, (module: { exports: unknown }, file: string) => void> })._extensions['.ttf'] = (module, file) => void (module.exports = file);
    const { CodeSheets } = await import('../../shared/pdf/code-sheets');
    const { printedCode } = await import('../../shared/domain/printed-codes');
    const renderOnly = (count: number) => {
      const begin = performance.now();
      let bytes = 0;
      const sheets = new CodeSheets('cards', 'en', (chunk) => void (bytes += chunk.length));
      for (let index = 0; index < count; index++) {
        sheets.add(printedCode('sign-up', { name: 'Bench L', domain }, { uid: `L${index}`, firstName: `First${index}`, lastName: `Last${index}` }, { formatted: 'ABCD-EFGH-JKLM-NPQR', expiresAt: new Date().toISOString() }));
      }
      return sheets.finish().then(() => ({ seconds: (performance.now() - begin) / 1000, pages: sheets.pages, bytes }));
    };
    const printRun = async (token: string, expected: number) => {
      const begin = performance.now();
      const started = await api('POST', '/v1/admin/letters', { token, body: { filter: {}, layout: 'cards' } });
      const final = await pollUntil(() => api('GET', `/v1/admin/letters/${started.body.id as string}`, { token }), (answer) => answer.body.status !== 'running', 900_000, 200);
      if (final.body.count !== expected) throw new Error(`letters printed ${String(final.body.count)} of ${expected}: ${JSON.stringify(final.body)}`);
      return { seconds: (performance.now() - begin) / 1000, pages: final.body.pages as number };
    };
    const small = await seedPendingTenant('S', 1_000);
    const large = await seedPendingTenant('L', cardCount);
    const reportsBefore = reportsOf('printLetters').length;
    await printRun(small.token, 1_000);
    const smallPeak = (await workerReport('printLetters', reportsBefore))?.peakRssMb;
    const largeRun = await printRun(large.token, cardCount);
    const largePeak = (await workerReport('printLetters', reportsBefore + 1))?.peakRssMb;
    const rendered = await renderOnly(cardCount);
    rows.push({
      benchmark: `${cardCount.toLocaleString('en')} cards (POST to completed, read, decrypt, render, stream to S3)`,
      figure: `${(largeRun.pages / largeRun.seconds).toFixed(1)} pages/s (${largeRun.pages} pages, ${largeRun.seconds.toFixed(1)} s)`,
      baseline: `rendering alone, in this process: ${(rendered.pages / rendered.seconds).toFixed(1)} pages/s (${rendered.seconds.toFixed(1)} s, ${(rendered.bytes / 1048576).toFixed(1)} MB of PDF)`,
      ratio: rendered.seconds / largeRun.seconds,
      target: 'reported',
      met: true,
    });
    rows.push({
      benchmark: `letters function: peak memory (its own process, ${cardCount.toLocaleString('en')} cards)`,
      figure: `${largePeak?.toFixed(0) ?? '?'} MB`,
      baseline: `1,000 cards: ${smallPeak?.toFixed(0) ?? '?'} MB`,
      ...(largePeak !== undefined && smallPeak !== undefined ? { ratio: largePeak / smallPeak } : {}),
      target: '< 512 MB',
      met: largePeak !== undefined && largePeak < 512,
    });
    }
  } finally {
    await stack.stop();
  }

  const bundles = want('bundles') ? await measureBundles() : [];
  if (bundles.length > 0) {
  const largest = (...kinds: BundleFigure['kind'][]) => bundles.filter((bundle) => kinds.includes(bundle.kind)).sort((a, b) => b.kb - a.kb)[0]!;
  const apiBundle = largest('api');
  const worker = largest('worker', 'printer');
  rows.push({
    benchmark: `largest API bundle, AWS SDK inside (${apiBundle.name}, of ${bundles.filter((b) => b.kind === 'api').length})`,
    figure: `${apiBundle.kb} KB`,
    baseline: `median ${median(bundles.filter((b) => b.kind === 'api').map((b) => b.kb))} KB`,
    target: '≤ 1024 KB',
    met: apiBundle.kb <= 1024,
  });
  rows.push({ benchmark: `largest worker or PDF-printing route bundle, AWS SDK inside (${worker.name})`, figure: `${worker.kb} KB`, baseline: '-', target: '≤ 2048 KB', met: worker.kb <= 2048 });
  const slowest = [...bundles].sort((a, b) => b.coldLoadMs - a.coldLoadMs)[0]!;
  rows.push({
    benchmark: 'cold module load (require of the bundle, SDK included), slowest function',
    figure: `${slowest.coldLoadMs} ms (${slowest.name})`,
    baseline: `median ${median(bundles.map((bundle) => bundle.coldLoadMs))} ms`,
    target: 'reported',
    met: true,
  });
  }

  const table = [
    '| benchmark | figure | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.benchmark} | ${row.figure} | ${row.baseline} | ${row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`} | ${row.target} | ${row.met ? 'yes' : '**MISSED**'} |`),
  ].join('\n');
  process.stdout.write(`\n${table}\n\nBundles and cold loads:\n${bundles.map((bundle) => `  ${bundle.kind.padEnd(6)} ${bundle.name.padEnd(24)} ${String(bundle.kb).padStart(5)} KB  ${String(bundle.coldLoadMs).padStart(4)} ms`).join('\n')}\n`);
  const out = resolve(__dirname, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), JSON.stringify({ at: new Date().toISOString(), rows, bundles }, null, 2));
  process.stdout.write(`\nWritten to bench-results/bench.json\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
