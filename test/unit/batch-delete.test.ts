import { db } from '../../shared/db/client';
import { batchDeleteAll } from '../../shared/db/batch';

/** db.send is overloaded; the tests only need it as "a call that resolves or rejects". */
const sendSpy = () => jest.spyOn(db, 'send') as unknown as jest.SpyInstance<Promise<unknown>, [{ input: { RequestItems: Record<string, { DeleteRequest: { Key: { pk: string } } }[]> } }]>;
const table = process.env.TABLE_NAME!;
const keyList = Array.from({ length: 30 }, (_, index) => ({ pk: `T#t#U#${index}`, sk: 'USER' }));
const deleteOf = (pk: string) => ({ DeleteRequest: { Key: { pk, sk: 'USER' } } });
const sentPks = (call: [{ input: { RequestItems: Record<string, { DeleteRequest: { Key: { pk: string } } }[]> } }]) => call[0].input.RequestItems[table]!.map((request) => request.DeleteRequest.Key.pk);

afterEach(() => jest.restoreAllMocks());

describe('batchDeleteAll', () => {
  it('sends 25 keys a request and sends again exactly what DynamoDB left unprocessed, until none is left', async () => {
    const send = sendSpy()
      .mockResolvedValueOnce({ UnprocessedItems: { [table]: [deleteOf('T#t#U#3'), deleteOf('T#t#U#7')] } })
      .mockResolvedValueOnce({ UnprocessedItems: { [table]: [deleteOf('T#t#U#7')] } })
      .mockResolvedValueOnce({ UnprocessedItems: {} })
      .mockResolvedValueOnce({});
    await batchDeleteAll(keyList);
    expect(send).toHaveBeenCalledTimes(4);
    expect(sentPks(send.mock.calls[0]!)).toEqual(keyList.slice(0, 25).map((key) => key.pk));
    expect(sentPks(send.mock.calls[1]!)).toEqual(['T#t#U#3', 'T#t#U#7']);
    expect(sentPks(send.mock.calls[2]!)).toEqual(['T#t#U#7']);
    expect(sentPks(send.mock.calls[3]!)).toEqual(keyList.slice(25).map((key) => key.pk));
  });

  it('gives up with a ThrottlingException when items stay unprocessed through every retry', async () => {
    jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void) => {
      callback();
      return 0;
    }) as unknown as typeof setTimeout);
    const send = sendSpy().mockResolvedValue({ UnprocessedItems: { [table]: [deleteOf('T#t#U#1')] } });
    await expect(batchDeleteAll(keyList.slice(0, 2))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(send).toHaveBeenCalledTimes(10);
  });
});
