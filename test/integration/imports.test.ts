import ExcelJS from 'exceljs';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import * as XLSX from 'xlsx';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { XlsxWriter } from '../../shared/excel/write';
import { bombDeclaringLittle, hiddenSheet, zip64SizeLie } from '../support/hostile-files';
import { forgeZip, sheetPath, sheetXml, workbookParts, workbookWithSheetXml } from '../support/zip-forge';
import {
  awaitImport,
  call,
  expectProblem,
  invite,
  newTenant,
  setFaults,
  signUp,
  switchSignInWithoutEmail,
  tenantItems,
  uploadImport,
  xlsxOf,
  type TestTenant,
} from './support';
import { insertUser } from './principals';

let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('imports');
  await switchSignInWithoutEmail(tenant, true);
});

const sheet = xlsxOf;

const invitationsOf = async (tenantId: string) => (await tenantItems(tenantId)).filter((item) => item.type === 'invitation');

function readReport(bytes: ArrayBuffer): Record<string, string>[] {
  const workbook = XLSX.read(new Uint8Array(bytes), { type: 'array' });
  return XLSX.utils.sheet_to_json<Record<string, string>>(workbook.Sheets[workbook.SheetNames[0]!]!, { raw: false, defval: '' });
}

describe('bulk invitations from an .xlsx file', () => {
  it('invites every row of a good file as a member, with progress, codes and a report', async () => {
    const fresh = await newTenant('goodfile');
    await switchSignInWithoutEmail(fresh, true);
    const rows = Array.from({ length: 3000 }, (_, index) => [`E${1000 + index}`, `First${index}`, `Last${index}`]);
    const id = await uploadImport(fresh, sheet(rows), { fileName: 'staff.xlsx' });
    // Polled often: on a fast machine the 3,000 rows take well under a second.
    const { final, seen } = await awaitImport(fresh, id, 60_000, { everyMs: 10 });
    expect(final).toMatchObject({ status: 'completed', dryRun: false, totalRows: 3000, processedRows: 3000, invitedCount: 3000, failedCount: 0, errors: [], errorsNextCursor: null });
    expect(seen.some((state) => state.status === 'processing' && state.processedRows > 0 && state.processedRows < 3000)).toBe(true);
    const invitations = await invitationsOf(fresh.id);
    expect(invitations).toHaveLength(3000);
    expect(invitations.every((item) => item.role === 'member' && item.status === 'pending' && item.importId === id)).toBe(true);

    const listed = await call<{ items: { id: string; uid: string; firstName: string }[] }>('GET', '/v1/admin/invitations?q=E1000', { token: fresh.admin.token });
    expect(listed.body.items[0]).toMatchObject({ uid: 'E1000', firstName: 'First0' });
    const code = await call<{ accessCode: string }>('GET', `/v1/admin/invitations/${listed.body.items[0]!.id}/access-code`, { token: fresh.admin.token });
    const session = await signUp(code.body.accessCode);
    expect(session.user).toMatchObject({ uid: 'E1000', role: 'member' });

    const report = await fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/${id}/report`, { headers: { authorization: `Bearer ${fresh.admin.token}` } });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('spreadsheetml');
    const reportRows = readReport(await report.arrayBuffer());
    expect(reportRows).toHaveLength(3000);
    expect(reportRows[0]).toEqual({ uid: 'E1000', 'first name': 'First0', 'last name': 'Last0', role: '', groups: '', status: 'invited', reason: '' });
    const audit = await call<{ items: { action: string; target: { id: string }; details: Record<string, unknown> }[] }>('GET', '/v1/admin/audit', { token: fresh.admin.token });
    expect(audit.body.items.find((entry) => entry.action === 'import.completed')).toMatchObject({ target: { id }, details: { invitedCount: 3000, failedCount: 0 } });
  });

  it('reports bad and duplicate uids by row, counts a uid already held as unchanged, skips blank rows and extra columns, and invites the rest', async () => {
    await invite(tenant, [{ uid: 'Taken7', role: 'guest' }]);
    const file = sheet(
      [
        ['Ok1', 'Ann', 'A', 'extra'],
        ['bad uid!', 'Bob', 'B'],
        [],
        ['ok1', 'Dup', 'D'],
        ['TAKEN7', 'Tim', 'T'],
        ['', 'No', 'Uid'],
        ['Ok2', 'x'.repeat(101), ''],
        ['Ok3', '', ''],
      ],
      ['Notes', 'UID', 'First Name', 'LASTNAME', 'Department'].slice(1),
    );
    const id = await uploadImport(tenant, file, { fileName: 'mixed.xlsx' });
    const { final } = await awaitImport(tenant, id);
    expect(final).toMatchObject({ status: 'completed', mode: 'add', totalRows: 7, processedRows: 7, invitedCount: 2, unchangedCount: 1, failedCount: 4 });
    expect(final.errors.map(({ row, uid, code }) => ({ row, uid, code }))).toEqual([
      { row: 3, uid: 'bad uid!', code: 'invalid_uid' },
      { row: 5, uid: 'ok1', code: 'duplicate_in_file' },
      { row: 7, uid: '', code: 'invalid_uid' },
      { row: 8, uid: 'Ok2', code: 'name_too_long' },
    ]);
    const paged = await call<{ errors: { row: number }[]; errorsNextCursor: string }>('GET', `/v1/admin/imports/${id}?errorsLimit=2`, { token: tenant.admin.token });
    expect(paged.body.errors.map((error) => error.row)).toEqual([3, 5]);
    const next = await call<{ errors: { row: number }[] }>('GET', `/v1/admin/imports/${id}?errorsLimit=2&errorsCursor=${paged.body.errorsNextCursor}`, { token: tenant.admin.token });
    expect(next.body.errors.map((error) => error.row)).toEqual([7, 8]);

    const report = await fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/${id}/report`, { headers: { authorization: `Bearer ${tenant.admin.token}` } });
    const reportRows = readReport(await report.arrayBuffer());
    expect(reportRows.map((row) => [row.uid, row.status])).toEqual([
      ['Ok1', 'invited'],
      ['bad uid!', 'failed'],
      ['ok1', 'failed'],
      ['TAKEN7', 'unchanged'],
      ['', 'failed'],
      ['Ok2', 'failed'],
      ['Ok3', 'invited'],
    ]);
    expect(reportRows[2]!.reason).toContain('row 2');
  });

  it('reads numeric uids as the sheet shows them, leading zeros kept, from a file written by another library', async () => {
    const workbook = new ExcelJS.Workbook();
    const worksheet = workbook.addWorksheet('Staff');
    worksheet.addRow(['Employee list']);
    worksheet.addRow([]);
    worksheet.addRow(['First name', 'uid']);
    for (const number of [1042, 7, 123456]) {
      const row = worksheet.addRow(['Zed', number]);
      row.getCell(2).numFmt = '000000';
    }
    worksheet.addRow(['Plain', 99]);
    const file = new Uint8Array(await workbook.xlsx.writeBuffer());
    const fresh = await newTenant('zeros');
    await switchSignInWithoutEmail(fresh, true);
    const { final } = await awaitImport(fresh, await uploadImport(fresh, file));
    expect(final).toMatchObject({ status: 'completed', invitedCount: 4, failedCount: 0 });
    const uids = (await invitationsOf(fresh.id)).map((item) => item.uid).sort();
    expect(uids).toEqual(['000007', '001042', '123456', '99']);
  });

  it('reads a file saved by LibreOffice Calc', async () => {
    const file = readFileSync(join(__dirname, '..', 'fixtures', 'libreoffice-invitations.xlsx'));
    const fresh = await newTenant('calc');
    await switchSignInWithoutEmail(fresh, true);
    const { final } = await awaitImport(fresh, await uploadImport(fresh, file));
    expect(final).toMatchObject({ status: 'completed', invitedCount: 3, failedCount: 0 });
    expect((await invitationsOf(fresh.id)).map((item) => item.uid).sort()).toEqual(['000123', 'C2', 'Calc1']);
  });

  it('imports far, sparse rows with their row numbers, whatever the dimension claims', async () => {
    const fresh = await newTenant('sparse');
    await switchSignInWithoutEmail(fresh, true);
    const rows = new Map([[1, ['uid']], [2, ['S2']], [3, ['S3']], [60_000, ['S60000']], [70_000, ['bad uid!']]]);
    const id = await uploadImport(fresh, forgeZip(workbookWithSheetXml(sheetXml(rows, 'A1:A1048576'))));
    const { final } = await awaitImport(fresh, id);
    expect(final).toMatchObject({ status: 'completed', totalRows: 4, invitedCount: 3, failedCount: 1 });
    expect(final.errors).toEqual([expect.objectContaining({ row: 70_000, code: 'invalid_uid' })]);
    expect((await invitationsOf(fresh.id)).map((item) => item.uid).sort()).toEqual(['S2', 'S3', 'S60000']);
  });

  it('a dry run checks every row and writes no invitation; a uid already held is unchanged', async () => {
    const fresh = await newTenant('dryrun');
    await switchSignInWithoutEmail(fresh, true);
    await invite(fresh, [{ uid: 'Held1', role: 'member' }]);
    const before = (await invitationsOf(fresh.id)).length;
    const id = await uploadImport(fresh, sheet([['New1'], ['held1'], ['New2'], ['new1']]), { dryRun: true });
    const { final } = await awaitImport(fresh, id);
    expect(final).toMatchObject({ status: 'completed', dryRun: true, totalRows: 4, invitedCount: 2, unchangedCount: 1, failedCount: 1 });
    expect(final.errors.map((error) => error.code)).toEqual(['duplicate_in_file']);
    expect((await invitationsOf(fresh.id)).length).toBe(before);
    const report = await fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/${id}/report`, { headers: { authorization: `Bearer ${fresh.admin.token}` } });
    expect(readReport(await report.arrayBuffer()).map((row) => row.status)).toEqual(['would be invited', 'unchanged', 'would be invited', 'failed']);
  });
});

describe('files that are refused whole', () => {
  const refused = async (file: Uint8Array, code: string) => {
    const fresh = await newTenant('refused');
    await switchSignInWithoutEmail(fresh, true);
    const id = await uploadImport(fresh, file);
    const { final } = await awaitImport(fresh, id);
    expect(final).toMatchObject({ status: 'failed', failure: { code, message: expect.any(String) }, invitedCount: 0 });
    expect(await invitationsOf(fresh.id)).toEqual([]);
    expectProblem(await call('GET', `/v1/admin/imports/${id}/report`, { token: fresh.admin.token }), 409, 'import_not_finished');
  };

  // A CSV is a spreadsheet now (test/integration/import-formats.test.ts); a picture is none.
  it('not a spreadsheet', () => refused(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'not_xlsx'));

  it('an empty sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Empty');
    await refused(new Uint8Array(await workbook.xlsx.writeBuffer()), 'empty_sheet');
  });

  it('no uid header', () => refused(sheet([['E1', 'Ann']], ['id', 'name']), 'no_uid_column'));

  it('a zip bomb in the sheet of a workbook', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((_error, chunk) => chunks.push(chunk));
    // The other parts of a workbook, so that the bomb is the sheet SheetJS would be given.
    for (const other of workbookParts([]).filter((entry) => entry.name !== sheetPath)) {
      const passed = new ZipPassThrough(other.name);
      zip.add(passed);
      passed.push(inflateRawSync(other.data), true);
    }
    const entry = new ZipDeflate(sheetPath, { level: 9 });
    zip.add(entry);
    const zeros = new Uint8Array(4 * 1024 * 1024);
    for (let index = 0; index < 60; index++) entry.push(zeros, index === 59);
    zip.end();
    const bomb = Buffer.concat(chunks);
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await refused(bomb, 'archive_too_large');
  });

  it('ZIP64 fields declaring a 4 GiB sheet', () => refused(zip64SizeLie(4 * 2 ** 30), 'archive_too_large'));

  it('a sheet hidden from the central directory inside another part', () => refused(hiddenSheet(false), 'archive_inconsistent'));

  it('a deflate stream of 1 GiB whose headers declare 2 KiB', () => refused(bombDeclaringLittle(2 ** 30), 'archive_too_large'));

  it('too many rows, writing nothing', () => refused(sheet(Array.from({ length: 50_001 }, (_, index) => [`R${index}`])), 'too_many_rows'));

  it('a file over 10 MiB', async () => {
    // Incompressible cells keep the file large.
    const random = (index: number) => `${index}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    const writer = new XlsxWriter('Big', ['uid', 'first name', 'last name']);
    for (let index = 0; index < 300_000; index++) writer.addRow([random(index), random(index), random(index)]);
    const file = writer.finish();
    expect(file.byteLength).toBeGreaterThan(10 * 1024 * 1024);
    await refused(file, 'file_too_large');
  });
});

describe('events delivered more than once, and crashes', () => {
  it('the same upload event delivered several times, concurrently, imports once', async () => {
    const fresh = await newTenant('dupevents');
    await switchSignInWithoutEmail(fresh, true);
    const file = sheet(Array.from({ length: 300 }, (_, index) => [`D${index}`]));
    const created = await call<{ id: string; uploadUrl: string; uploadHeaders: Record<string, string> }>('POST', '/v1/admin/imports', { token: fresh.admin.token, body: {} });
    // Each PUT of the object makes S3 (s3rver) emit one more ObjectCreated event for the same key.
    await Promise.all(Array.from({ length: 5 }, () => fetch(created.body.uploadUrl, { method: "PUT", headers: created.body.uploadHeaders, body: new Uint8Array(file) })));
    const { final } = await awaitImport(fresh, created.body.id);
    expect(final).toMatchObject({ status: 'completed', invitedCount: 300, failedCount: 0 });
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const invitations = await invitationsOf(fresh.id);
    expect(invitations).toHaveLength(300);
    const record = (await tenantItems(fresh.id)).find((item) => item.sk === `IMPORT#${created.body.id}`);
    expect(record).toMatchObject({ status: 'completed', invitedCount: 300, attempts: 1 });
  });

  it('an import that crashes after half of its rows is finished by the retry, without duplicates', async () => {
    const fresh = await newTenant('crash');
    await switchSignInWithoutEmail(fresh, true);
    const file = sheet(Array.from({ length: 1000 }, (_, index) => [`C${index}`]));
    const id = await uploadImport(fresh, file, { beforeUpload: (importId) => setFaults({ importCrash: { importId, afterRows: 500 } }) });
    const { final } = await awaitImport(fresh, id, 90_000);
    expect(final).toMatchObject({ status: 'completed', totalRows: 1000, processedRows: 1000, invitedCount: 1000, failedCount: 0, errors: [] });
    const record = (await tenantItems(fresh.id)).find((item) => item.sk === `IMPORT#${id}`);
    expect(record?.attempts).toBe(2);
    const invitations = await invitationsOf(fresh.id);
    expect(invitations).toHaveLength(1000);
    expect(new Set(invitations.map((item) => item.uid)).size).toBe(1000);
  });
});

describe('the import routes', () => {
  it('answers the template with a uid header and an example row', async () => {
    const template = await fetch(`${process.env.EMAILLESS_URL}/v1/admin/imports/template`, { headers: { authorization: `Bearer ${tenant.admin.token}` } });
    expect(template.status).toBe(200);
    expect(template.headers.get('content-disposition')).toContain('invitations-template.xlsx');
    expect(readReport(await template.arrayBuffer())).toEqual([{ uid: 'E1042', 'first name': 'Ada', 'last name': 'Lovelace', role: 'member', groups: 'Engineering; London' }]);
  });

  it('describes the upload: presigned PUT, headers, limits', async () => {
    const created = await call('POST', '/v1/admin/imports', { token: tenant.admin.token, body: { fileName: 'x.xlsx', dryRun: true } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      status: 'awaiting_upload',
      dryRun: true,
      mode: 'add',
      uploadUrl: expect.stringContaining(`/imports/${tenant.id}/`),
      uploadMethod: 'PUT',
      uploadHeaders: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      expiresAt: expect.any(String),
      maxBytes: 10 * 1024 * 1024,
      maxRows: 50_000,
    });
    const status = await call('GET', `/v1/admin/imports/${created.body.id}`, { token: tenant.admin.token });
    expect(status.body).toMatchObject({ status: 'awaiting_upload', totalRows: 0, errors: [] });
  });

  it('refuses while the switch is off, for non-admins, bad bodies and other tenants\' imports', async () => {
    const off = await newTenant('importoff');
    expectProblem(await call('POST', '/v1/admin/imports', { token: off.admin.token, body: {} }), 403, 'feature_disabled');
    const member = await insertUser(tenant, 'member');
    expectProblem(await call('POST', '/v1/admin/imports', { token: member.token, body: {} }), 403, 'forbidden');
    expectProblem(await call('POST', '/v1/admin/imports', { token: tenant.admin.token, body: { dryRun: 'yes' } }), 400, 'validation_failed');
    const created = await call<{ id: string }>('POST', '/v1/admin/imports', { token: tenant.admin.token, body: {} });
    for (const path of [`/v1/admin/imports/${created.body.id}`, `/v1/admin/imports/${created.body.id}/report`]) {
      expectProblem(await call('GET', path, { token: off.admin.token }), 404, 'not_found');
    }
    expectProblem(await call('GET', `/v1/admin/imports/${created.body.id}?errorsLimit=0`, { token: tenant.admin.token }), 400, 'validation_failed');
  });
});
