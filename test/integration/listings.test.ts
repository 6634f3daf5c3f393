import { keys, listingShards, shardOf } from '../../shared/db/keys';
import { awaitImport, call, type Answer, invite, newTenant, switchSignInWithoutEmail, uploadImport, xlsxOf, type TestTenant } from './support';

/**
 * Users and invitations are listed from collections spread over several keys (layout v2);
 * the audit log is spread too. These tests page through each as a client would and check
 * that the merged list is whole, in order and without repeats, filtered or not.
 */

interface Listed {
  id: string;
  uid: string;
  role: string;
  status: string;
}

async function everyPage<T>(path: string, token: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const answer: Answer<{ items: T[]; nextCursor: string | null }> = await call<{ items: T[]; nextCursor: string | null }>('GET', `${path}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text}`);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
    pages++;
  } while (cursor && pages < 2000);
  return { items, pages };
}

let tenant: TestTenant;
const uids: string[] = [];
beforeAll(async () => {
  tenant = await newTenant('listings');
  await switchSignInWithoutEmail(tenant, true);
  // Mixed case, numbers and prefixes that sort across shards; every 5th a guest.
  for (let batch = 0; batch < 3; batch++) {
    const invitations = Array.from({ length: 50 }, (_, index) => {
      const number = batch * 50 + index;
      const uid = `${number % 3 === 0 ? 'Emp' : 'emp'}${String(number).padStart(4, '0')}${number % 7 === 0 ? 'x' : ''}`;
      uids.push(uid);
      return { uid, role: number % 5 === 0 ? 'guest' : 'member' };
    });
    await invite(tenant, invitations);
  }
});

describe('invitations listed from their shards', () => {
  it('really are spread over several shards (else these tests would prove nothing)', () => {
    const shards = new Set(uids.map((uid) => shardOf(uid.toLowerCase(), listingShards)));
    expect(shards.size).toBe(listingShards);
    expect(keys.invitationListingShards(tenant.id)).toHaveLength(listingShards);
  });

  it.each([3, 7, 50, 100])('pages of %i give every invitation once, in uid order', async (limit) => {
    const { items } = await everyPage<Listed>(`/v1/admin/invitations?limit=${limit}`, tenant.admin.token);
    const listed = items.map((item) => item.uid);
    expect(listed).toEqual([...uids].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
  });

  it('filters by role and by uid prefix across shards, whole and in order', async () => {
    const guests = await everyPage<Listed>('/v1/admin/invitations?role=guest&limit=4', tenant.admin.token);
    const expectedGuests = uids.filter((_, number) => number % 5 === 0).map((uid) => uid.toLowerCase()).sort();
    expect(guests.items.map((item) => item.uid.toLowerCase())).toEqual(expectedGuests);
    const prefixed = await everyPage<Listed>('/v1/admin/invitations?q=EMP00&limit=3', tenant.admin.token);
    expect(prefixed.items.map((item) => item.uid.toLowerCase())).toEqual(uids.map((uid) => uid.toLowerCase()).filter((uid) => uid.startsWith('emp00')).sort());
  });

  it('shows a revoked invitation right after its uid, once', async () => {
    const [victim] = (await call<{ items: Listed[] }>('GET', '/v1/admin/invitations?q=emp0042&limit=5', { token: tenant.admin.token })).body.items;
    expect((await call('DELETE', `/v1/admin/invitations/${victim!.id}`, { token: tenant.admin.token })).status).toBe(204);
    const again = await invite(tenant, [{ uid: victim!.uid, role: 'member' }]);
    const listed = (await everyPage<Listed>('/v1/admin/invitations?q=emp0042&limit=1', tenant.admin.token)).items;
    expect(listed.map((item) => [item.id, item.status])).toEqual([
      [again[0]!.id, 'pending'],
      [victim!.id, 'revoked'],
    ]);
  });
});

describe('a filter that matches one invitation among thousands', () => {
  it('ends pages early when the read budget is spent, and the cursors still reach every match', async () => {
    const crowd = await newTenant('crowd');
    await switchSignInWithoutEmail(crowd, true);
    const rows = Array.from({ length: 9_000 }, (_, index) => [`C${String(index).padStart(5, '0')}`]);
    const id = await uploadImport(crowd, xlsxOf(rows, ['uid']));
    expect((await awaitImport(crowd, id, 120_000)).final).toMatchObject({ status: 'completed', invitedCount: 9_000 });
    const [first] = (await call<{ items: Listed[] }>('GET', '/v1/admin/invitations?q=C07777&limit=1', { token: crowd.admin.token })).body.items;
    expect((await call('DELETE', `/v1/admin/invitations/${first!.id}`, { token: crowd.admin.token })).status).toBe(204);
    // About 1,125 items a shard, read 100 at a time under the filter: more than one page's budget of 10 reads a shard.
    const revoked = await everyPage<Listed>('/v1/admin/invitations?status=revoked&limit=5', crowd.admin.token);
    expect(revoked.items.map((item) => item.uid)).toEqual(['C07777']);
    expect(revoked.pages).toBeGreaterThan(1);
  });
});

describe('the audit log, written across shards', () => {
  it('lists newest first, every entry once, through small pages', async () => {
    const fresh = await newTenant('audit-shards');
    await switchSignInWithoutEmail(fresh, true);
    const made = await invite(fresh, Array.from({ length: 30 }, (_, index) => ({ uid: `a${index}`, role: 'member' })));
    for (const invitation of made.slice(0, 12)) await call('GET', `/v1/admin/invitations/${invitation.id}/access-code`, { token: fresh.admin.token });
    const whole = await everyPage<{ at: string; action: string; target: { id: string } }>('/v1/admin/audit?limit=100', fresh.admin.token);
    const paged = await everyPage<{ at: string; action: string; target: { id: string } }>('/v1/admin/audit?limit=2', fresh.admin.token);
    expect(paged.items).toEqual(whole.items);
    expect(whole.items.length).toBeGreaterThanOrEqual(13);
    const times = whole.items.map((entry) => entry.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(whole.items.filter((entry) => entry.action === 'access_code.viewed')).toHaveLength(12);
  });
});

describe('users listed from their shards', () => {
  it('lists the admin and filters by role', async () => {
    const { items } = await everyPage<{ id: string; role: string }>('/v1/admin/users?limit=1', tenant.admin.token);
    expect(items.map((item) => item.id)).toEqual([tenant.admin.id]);
    expect((await everyPage('/v1/admin/users?role=member', tenant.admin.token)).items).toEqual([]);
  });
});
