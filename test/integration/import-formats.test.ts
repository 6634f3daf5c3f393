import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { awaitImport, baseUrl, call, newTenant, switchSignInWithoutEmail, tenantItems, uploadImport, type TestTenant } from './support';

/** The files an HR system gives, through the real presigned upload and the worker: the invitations keep their uids and accents. */
let tenant: TestTenant;
beforeAll(async () => {
  tenant = await newTenant('formats');
  await switchSignInWithoutEmail(tenant, true);
});

const windows1252 = (text: string) => Uint8Array.from(text, (char) => {
  const code = char.charCodeAt(0);
  if (code > 0xff) throw new Error(`not in this test's Windows-1252 subset: ${char}`);
  return code;
});

async function imported(file: Uint8Array, fileName: string) {
  const id = await uploadImport(tenant, file, { fileName });
  const { final } = await awaitImport(tenant, id);
  const invitations = (await tenantItems(tenant.id)).filter((item) => item.type === 'invitation' && item.importId === id);
  const people = invitations.map((item) => [item.uid, item.firstName ?? '', item.lastName ?? '']).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  return { final, people };
}

describe('imports of the formats HR systems write', () => {
  it('the French template, filled in with a role and groups, imports as it reads', async () => {
    const groupName = `Équipe ${Date.now()}`;
    const group = await call<{ id: string }>('POST', '/v1/admin/groups', { token: tenant.admin.token, body: { name: groupName, isDefault: false } });
    const template = await fetch(`${baseUrl}/v1/admin/imports/template?language=fr`, { headers: { authorization: `Bearer ${tenant.admin.token}` } });
    expect(template.status).toBe(200);
    const workbook = XLSX.read(new Uint8Array(await template.arrayBuffer()), { type: 'array' });
    const sheet = workbook.Sheets[workbook.SheetNames[0]!]!;
    const [headers] = XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1 });
    expect(headers).toEqual(['Identifiant', 'Prénom', 'Nom', 'Rôle', 'Groupes']);
    const filled = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(filled, XLSX.utils.aoa_to_sheet([headers!, ['FR1', 'Zoé', 'Martin', 'invité', groupName.toUpperCase()]]), 'Personnes');
    const { final, people } = await imported(new Uint8Array(XLSX.write(filled, { type: 'array', bookType: 'xlsx' })), 'modele.xlsx');
    expect(final).toMatchObject({ status: 'completed', invitedCount: 1, failedCount: 0, ignoredColumns: [] });
    expect(people).toEqual([['FR1', 'Zoé', 'Martin']]);
    const invitation = (await tenantItems(tenant.id)).find((item) => item.type === 'invitation' && item.uid === 'FR1');
    expect([invitation?.role, invitation?.groupIds]).toEqual(['guest', [group.body.id]]);
  });


  it('a French Excel CSV: Windows-1252, ";" and CRLF, with an unknown column', async () => {
    const file = windows1252('Matricule;Prénom;Nom;Service\r\n000123;Hélène;Dupont-Durand;Paie\r\nCSV2;François;Lefèvre;"RH; formation"\r\n');
    const { final, people } = await imported(file, 'export-paie.csv');
    expect(final).toMatchObject({ status: 'completed', totalRows: 2, invitedCount: 2, failedCount: 0, ignoredColumns: ['Service'] });
    expect(people).toEqual([
      ['000123', 'Hélène', 'Dupont-Durand'],
      ['CSV2', 'François', 'Lefèvre'],
    ]);
  });

  it('a UTF-8 CSV with a BOM, commas, and quoted names holding line breaks and quotes', async () => {
    const text = '\uFEFFEmployee ID,Given name,Family name\n' + 'BOM1,"Anne\nMarie","O""Neil"\n' + 'BOM2,Zoë,"Núñez, de la Peña"\n';
    const { final, people } = await imported(new TextEncoder().encode(text), 'people.csv');
    expect(final).toMatchObject({ status: 'completed', totalRows: 2, invitedCount: 2 });
    expect(people).toEqual([
      ['BOM1', 'Anne\nMarie', 'O"Neil'],
      ['BOM2', 'Zoë', 'Núñez, de la Peña'],
    ]);
  });

  it('an .xls (BIFF8) and an .ods written by SheetJS', async () => {
    for (const bookType of ['xls', 'ods'] as const) {
      const workbook = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['Identifiant', 'Prénom', 'Nom de famille'], [`${bookType.toUpperCase()}1`, 'Éloïse', 'Čapek']]), 'Personnel');
      const { final, people } = await imported(new Uint8Array(XLSX.write(workbook, { type: 'array', bookType })), `staff.${bookType}`);
      expect(final).toMatchObject({ status: 'completed', totalRows: 1, invitedCount: 1 });
      expect(people).toEqual([[`${bookType.toUpperCase()}1`, 'Éloïse', 'Čapek']]);
    }
  });

  it('an .ods and an .xls saved by LibreOffice', async () => {
    for (const extension of ['ods', 'xls']) {
      const fresh = await newTenant(`lo-${extension}`);
      await switchSignInWithoutEmail(fresh, true);
      const id = await uploadImport(fresh, readFileSync(join(__dirname, '..', 'fixtures', `libreoffice-french.${extension}`)), { fileName: `french.${extension}` });
      const { final } = await awaitImport(fresh, id);
      expect(final).toMatchObject({ status: 'completed', totalRows: 2, invitedCount: 2 });
      const people = (await tenantItems(fresh.id)).filter((item) => item.type === 'invitation').map((item) => [item.uid, item.firstName, item.lastName]);
      expect(people.sort()).toEqual([
        ['000123', 'Hélène', 'Dupont-Durand'],
        ['E2', 'François', 'Œuvray'],
      ]);
    }
  });
});
