import { groupNamesOf } from '../../shared/db/groups';

describe('groupNamesOf', () => {
  it('reads the names of the directory, ignoring its other attributes', () => {
    const names = groupNamesOf({ pk: 'T#t', sk: 'GROUPDIR', type: 'groupDirectory', 'group:g1': 'Day shift', 'group:g2': 'Dock' });
    expect([...names]).toEqual([
      ['g1', 'Day shift'],
      ['g2', 'Dock'],
    ]);
  });

  it('is empty for the directory of a tenant without groups', () => {
    expect(groupNamesOf({ pk: 'T#t', sk: 'GROUPDIR', type: 'groupDirectory' }).size).toBe(0);
  });
});
