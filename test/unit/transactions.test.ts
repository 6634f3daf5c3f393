import { db } from '../../shared/db/client';
import { isStoreUnavailable, StoreBusyError } from '../../shared/db/errors';
import { conditionalWrite, conflictAttempts, isTransientConflict, transactWrite } from '../../shared/db/transactions';

/** A cancellation as DynamoDB sends it: one reason per item. */
const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: codes.map((Code) => ({ Code, ...(Code === 'ConditionalCheckFailed' ? { Item: { importId: { S: 'i1' } } } : {}) })) });
const items = [{ Put: { TableName: 't', Item: { pk: 'a', sk: 'b' } } }, { Put: { TableName: 't', Item: { pk: 'c', sk: 'd' } } }];

/** db.send is overloaded; the tests only need it as "a call that resolves or rejects". */
const sendSpy = () => jest.spyOn(db, 'send') as unknown as jest.SpyInstance<Promise<unknown>, unknown[]>;

afterEach(() => jest.restoreAllMocks());

describe('transactWrite', () => {
  it('retries conflicts and throttling, then goes through', async () => {
    const send = sendSpy().mockRejectedValueOnce(cancelled('None', 'TransactionConflict')).mockRejectedValueOnce(cancelled('ThrottlingError', 'None')).mockResolvedValueOnce({});
    expect(await transactWrite(items)).toEqual(new Map());
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('answers the failed conditions by index, with the item as it was, and does not retry them', async () => {
    const send = sendSpy().mockRejectedValueOnce(cancelled('None', 'ConditionalCheckFailed'));
    expect(await transactWrite(items)).toEqual(new Map([[1, { importId: { S: 'i1' } }]]));
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('after its tries throws a StoreBusyError, which answers 503', async () => {
    const send = sendSpy().mockRejectedValue(cancelled('TransactionConflict', 'None'));
    const error = await transactWrite(items).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(send).toHaveBeenCalledTimes(conflictAttempts);
  });

  it('throws any other failure as it came', async () => {
    const validation = Object.assign(new Error('bad'), { name: 'ValidationException' });
    sendSpy().mockRejectedValueOnce(validation);
    await expect(transactWrite(items)).rejects.toBe(validation);
  });
});

describe('conditionalWrite', () => {
  it('retries TransactionConflictException and tells a failed condition apart', async () => {
    const conflict = Object.assign(new Error('Transaction is ongoing for the item'), { name: 'TransactionConflictException' });
    const send = jest.fn().mockRejectedValueOnce(conflict).mockResolvedValueOnce({});
    expect(await conditionalWrite(send)).toBe('written');
    expect(send).toHaveBeenCalledTimes(2);
    const refused = jest.fn().mockRejectedValueOnce(Object.assign(new Error('no'), { name: 'ConditionalCheckFailedException' }));
    expect(await conditionalWrite(refused)).toBe('condition_failed');
  });
});

describe('which failures are the store being busy', () => {
  it('a cancellation only for conflicts or throttling is; one with a failed condition is not', () => {
    expect(isTransientConflict(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isStoreUnavailable(cancelled('ThrottlingError', 'None'))).toBe(true);
    expect(isTransientConflict(cancelled('ConditionalCheckFailed', 'TransactionConflict'))).toBe(false);
    expect(isStoreUnavailable(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
    expect(isStoreUnavailable(cancelled('ValidationError'))).toBe(false);
    expect(isStoreUnavailable(Object.assign(new Error('x'), { name: 'TransactionConflictException' }))).toBe(true);
  });
});
