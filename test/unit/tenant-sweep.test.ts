import { sweepTenant, sweepSteps, reserveMs } from '../../shared/domain/tenant-sweep';
import * as deletion from '../../shared/db/tenant-deletion';
import * as batch from '../../shared/db/batch';
import * as invoke from '../../shared/aws/invoke';
import type { DeletionRecord } from '../../shared/db/tenant-deletion';

jest.mock('../../shared/db/tenant-deletion');
jest.mock('../../shared/db/batch');
jest.mock('../../shared/db/api-keys', () => ({ liveApiKeyIds: async () => [] }));
jest.mock('../../shared/aws/invoke');

const mocked = jest.mocked(deletion);
const record: DeletionRecord = {
  tenantId: 't1',
  domain: 'gone.example',
  status: 'deleting',
  startedAt: '2026-01-01T00:00:00.000Z',
  itemsDeleted: 0,
  objectsDeleted: 0,
  step: 0,
  progressAt: '2026-01-01T00:00:00.000Z',
  requestedBy: { kind: 'operator', clientIp: '127.0.0.1' },
  ttl: 0,
};

async function* onePageOfUsers(): AsyncGenerator<Record<string, unknown>[]> {
  yield [{ pk: 'T#t1#U#u1' }, { pk: 'T#t1#U#u2' }];
}
async function* userItem(pk: string): AsyncGenerator<Record<string, unknown>[]> {
  yield [{ pk, sk: 'USER' }];
}

beforeEach(() => {
  jest.resetAllMocks();
  mocked.getDeletion.mockResolvedValue({ ...record });
  mocked.listed.mockImplementation((pk) => (pk === 'T#t1#USERS#0' ? onePageOfUsers() : (async function* () {})()));
  mocked.keysUnder.mockImplementation((pk) => userItem(pk));
});

describe('sweepTenant near its timeout', () => {
  it('stops after the page it is on, saves what it counted, and invokes its own function to go on from the same step', async () => {
    mocked.getDeletion.mockResolvedValue({ ...record, step: sweepSteps.findIndex((step) => step.name === 'users') });
    let left = reserveMs + 1;
    const context = { functionName: 'emailless-SweepTenant', getRemainingTimeInMillis: () => left };
    jest.mocked(batch.batchDeleteAll).mockImplementation(async () => {
      left = reserveMs - 1;
    });
    await sweepTenant('t1', context);
    // The first user's item went and was counted; then the run handed on.
    expect(batch.batchDeleteAll).toHaveBeenCalledWith([{ pk: 'T#t1#U#u1', sk: 'USER' }]);
    expect(mocked.addProgress).toHaveBeenCalledWith('t1', 1, 0, expect.any(String));
    expect(invoke.invokeInBackground).toHaveBeenCalledWith('emailless-SweepTenant', { tenantId: 't1' });
    expect(mocked.setStep).not.toHaveBeenCalled();
    expect(mocked.finishDeletion).not.toHaveBeenCalled();
  });

  it('with time enough, goes through every step once, from the step its record names', async () => {
    mocked.getDeletion.mockResolvedValue({ ...record, step: sweepSteps.length - 1 });
    mocked.deleteItem.mockResolvedValue(true);
    mocked.deleteClaimOf.mockResolvedValue(true);
    await sweepTenant('t1', { functionName: 'f', getRemainingTimeInMillis: () => 600_000 });
    expect(mocked.deleteClaimOf).toHaveBeenCalledWith({ pk: 'DOMAIN#gone.example', sk: 'DOMAIN' }, 't1');
    expect(mocked.finishDeletion).toHaveBeenCalledTimes(1);
    expect(mocked.setStep).toHaveBeenCalledWith('t1', sweepSteps.length, expect.any(String));
    expect(invoke.invokeInBackground).not.toHaveBeenCalled();
  });

  it("deletes a user's email claim and uid claim before the user item, the only thing that lists the user, so a run that stops after it leaves nothing it cannot find again", async () => {
    mocked.getDeletion.mockResolvedValue({ ...record, step: sweepSteps.findIndex((step) => step.name === 'users') });
    mocked.listed.mockImplementation((pk) =>
      pk === 'T#t1#USERS#0' ? (async function* () { yield [{ pk: 'T#t1#U#u1', email: 'ann@gone.example', uid: 'A1' }]; })() : (async function* () {})(),
    );
    const order: string[] = [];
    mocked.deleteClaimOf.mockImplementation(async (key) => {
      order.push(key.pk);
      return true;
    });
    let left = reserveMs + 1;
    jest.mocked(batch.batchDeleteAll).mockImplementation(async (keys) => {
      order.push(...keys.map((key) => key.pk));
      if (keys.some((key) => key.pk === 'T#t1#U#u1')) left = reserveMs - 1;
    });
    await sweepTenant('t1', { functionName: 'f', getRemainingTimeInMillis: () => left });
    expect(order).toEqual(['EMAIL#ann@gone.example', 'T#t1#UID#a1', 'T#t1#U#u1']);
  });

  it('ignores an event for a deletion that has finished', async () => {
    mocked.getDeletion.mockResolvedValue({ ...record, status: 'deleted' });
    await sweepTenant('t1', { functionName: 'f', getRemainingTimeInMillis: () => 600_000 });
    expect(batch.batchDeleteAll).not.toHaveBeenCalled();
    expect(mocked.finishDeletion).not.toHaveBeenCalled();
  });
});
