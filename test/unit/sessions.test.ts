import fc from 'fast-check';
import { maxSessionsPerUser, sessionsToDrop, wouldEndAnOpenSession, type SessionMap } from '../../shared/db/sessions';
import type { UserRecord } from '../../shared/db/users';

const now = '2026-06-01T12:00:00.000Z';
const at = (minutesFromNow: number) => new Date(Date.parse(now) + minutesFromNow * 60_000).toISOString();

describe('sessionsToDrop', () => {
  it('drops sessions that are over and keeps open ones while under the cap', () => {
    expect(sessionsToDrop({ over: at(-1), justOver: now, open: at(5) }, now).sort()).toEqual(['justOver', 'over']);
  });

  it('drops the sessions ending first, so that a new one fits under the cap', () => {
    const sessions: SessionMap = Object.fromEntries(Array.from({ length: maxSessionsPerUser }, (_, index) => [`s${index}`, at(index + 1)]));
    expect(sessionsToDrop(sessions, now)).toEqual(['s0']);
  });

  it('always leaves room for one more, never drops an open session needlessly', () => {
    const entries = fc.array(fc.tuple(fc.stringMatching(/^[0-9a-f]{8}$/), fc.integer({ min: -600, max: 600 })), { maxLength: maxSessionsPerUser * 2 });
    fc.assert(
      fc.property(entries, (list) => {
        const sessions: SessionMap = Object.fromEntries(list.map(([hash, minutes]) => [hash, at(minutes)]));
        const dropped = new Set(sessionsToDrop(sessions, now));
        const kept = Object.entries(sessions).filter(([hash]) => !dropped.has(hash));
        const open = Object.values(sessions).filter((expiresAt) => expiresAt > now).length;
        expect(kept.length).toBeLessThanOrEqual(maxSessionsPerUser - 1);
        expect(kept.every(([, expiresAt]) => expiresAt > now)).toBe(true);
        expect(kept.length).toBe(Math.min(open, maxSessionsPerUser - 1));
        // What is dropped of the open ones ends no later than anything kept.
        const latestDropped = Math.max(...[...dropped].map((hash) => Date.parse(sessions[hash]!)).filter((time) => time > Date.parse(now)), -Infinity);
        expect(kept.every(([, expiresAt]) => Date.parse(expiresAt) >= latestDropped)).toBe(true);
      }),
    );
  });
});

describe('wouldEndAnOpenSession', () => {
  const userWith = (open: number, over = 0) =>
    ({
      sessions: Object.fromEntries([
        ...Array.from({ length: open }, (_, index) => [`open${index}`, at(index + 1)]),
        ...Array.from({ length: over }, (_, index) => [`over${index}`, at(-index - 1)]),
      ]),
    }) as unknown as UserRecord;

  it('is true exactly when one more session makes an open one go', () => {
    for (const [open, over] of [[0, 0], [maxSessionsPerUser - 1, 0], [maxSessionsPerUser - 1, 5], [maxSessionsPerUser, 0], [maxSessionsPerUser + 3, 2]] as const) {
      const user = userWith(open, over);
      const endsOpen = sessionsToDrop(user.sessions, now).some((hash) => hash.startsWith('open'));
      expect([open, over, wouldEndAnOpenSession(user, now)]).toEqual([open, over, endsOpen]);
    }
  });
});
