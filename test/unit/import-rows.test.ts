import type { InvitationRecord } from '../../shared/db/invitations';
import { checkRows } from '../../shared/domain/import-worker';
import { publicInvitation } from '../../shared/domain/invitations';
import type { SheetRow } from '../../shared/excel/read';

const row = (number: number, uid: string, firstName = '', lastName = ''): SheetRow => ({ row: number, uid, firstName, lastName, role: '', groups: '' });

describe('checkRows: what a row is refused for before any write', () => {
  it('passes good rows, and refuses bad uids, over-long names and later duplicates of a uid in any case', () => {
    const failures = checkRows([
      row(2, 'E1042', 'Ann', 'Lee'),
      row(3, ''),
      row(4, 'not-a-uid!'),
      row(5, 'A'.repeat(65)),
      row(6, 'E7', 'x'.repeat(101)),
      row(7, 'E8', 'Bo', 'y'.repeat(101)),
      row(8, 'e1042'),
      row(9, 'E9', 'x'.repeat(100), 'y'.repeat(100)),
      row(10, 'E1042'),
    ]);
    expect(Object.fromEntries([...failures].map(([number, failure]) => [number, failure.code]))).toEqual({
      3: 'invalid_uid',
      4: 'invalid_uid',
      5: 'invalid_uid',
      6: 'name_too_long',
      7: 'name_too_long',
      8: 'duplicate_in_file',
      10: 'duplicate_in_file',
    });
    expect(failures.get(3)?.message).toBe('The uid is empty.');
    expect(failures.get(8)?.message).toBe('The uid is already on row 2 of this file.');
  });

  it('does not count a refused row as the first of its uid', () => {
    const failures = checkRows([row(2, 'E1', 'x'.repeat(101)), row(3, 'E1')]);
    expect([...failures.keys()]).toEqual([2]);
  });
});

describe('publicInvitation: the status an admin sees', () => {
  const now = '2030-06-01T12:00:00.000Z';
  const invitation = (fields: Partial<InvitationRecord>): InvitationRecord => ({
    id: 'i1',
    tenantId: 't1',
    uid: 'E1',
    role: 'member',
    groupIds: [],
    status: 'pending',
    expiresAt: '2030-06-02T00:00:00.000Z',
    createdAt: '2030-05-01T00:00:00.000Z',
    createdBy: 'u1',
    codeHash: 'secret hash',
    codeCiphertext: 'secret ciphertext',
    ...fields,
  });

  it.each([
    ['pending before its expiry', { status: 'pending' as const }, 'pending'],
    ['pending at its expiry', { status: 'pending' as const, expiresAt: now }, 'expired'],
    ['pending past its expiry', { status: 'pending' as const, expiresAt: '2030-05-31T00:00:00.000Z' }, 'expired'],
    ['accepted, whatever its expiry', { status: 'accepted' as const, expiresAt: '2030-05-31T00:00:00.000Z', acceptedAt: '2030-05-20T00:00:00.000Z', userId: 'u9' }, 'accepted'],
    ['revoked, whatever its expiry', { status: 'revoked' as const, expiresAt: '2030-05-31T00:00:00.000Z', revokedAt: '2030-05-21T00:00:00.000Z' }, 'revoked'],
  ])('%s', (_case, fields, status) => {
    const shown = publicInvitation(invitation(fields), 'acme.example', now);
    expect(shown.status).toBe(status);
    expect(shown.signInIdentifier).toBe('E1:acme.example');
    expect(JSON.stringify(shown)).not.toMatch(/secret/);
  });
});
