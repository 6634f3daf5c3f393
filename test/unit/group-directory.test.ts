import { groupNamesOf } from '../../shared/db/groups';

describe('groupNamesOf', () => {
  it('reads the names of a complete directory, ignoring its other attributes', () => {
    const names = groupNamesOf({ pk: 'T#t', sk: 'GROUPDIR', type: 'groupDirectory', complete: true, 'group:g1': 'Day shift', 'group:g2': 'Dock' });
    expect(names && [...names]).toEqual([
      ['g1', 'Day shift'],
      ['g2', 'Dock'],
    ]);
  });

  it('is empty for a complete directory of a tenant without groups', () => {
    expect(groupNamesOf({ pk: 'T#t', sk: 'GROUPDIR', complete: true })?.size).toBe(0);
  });

  it('trusts no directory that is missing or not known to be complete', () => {
    expect(groupNamesOf(undefined)).toBeUndefined();
    expect(groupNamesOf({ pk: 'T#t', sk: 'GROUPDIR', 'group:g1': 'Day shift' })).toBeUndefined();
  });
});
