import { keys } from '../../shared/db/keys';
import { groupNamesOf } from '../../shared/db/groups';

describe('groupNamesOf', () => {
  it('reads the names of the directory, ignoring its other attributes', () => {
    const names = groupNamesOf({ ...keys.groupDirectory('t'), type: 'groupDirectory', 'group:g1': 'Day shift', 'group:g2': 'Dock' });
    expect([...names]).toEqual([
      ['g1', 'Day shift'],
      ['g2', 'Dock'],
    ]);
  });

  it('is empty for the directory of a tenant without groups', () => {
    expect(groupNamesOf({ ...keys.groupDirectory('t'), type: 'groupDirectory' }).size).toBe(0);
  });
});
