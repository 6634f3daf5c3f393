import { redact } from '../../shared/core/logger';

describe('redact', () => {
  it('hides secrets by key, at any depth, and keeps the rest', () => {
    const fields = { userId: 'u1', password: 'hunter22', nested: { accessCode: 'ABCD', list: [{ token: 't' }], count: 2 }, Authorization: 'Bearer x' };
    expect(redact(fields)).toEqual({ userId: 'u1', password: '[redacted]', nested: { accessCode: '[redacted]', list: [{ token: '[redacted]' }], count: 2 }, Authorization: '[redacted]' });
  });
});

describe('redact keeps facts that only look like secrets', () => {
  it('keeps problem and failure codes, hides access codes and ciphertexts', () => {
    expect(redact({ code: 'uid_taken', failure: 'not_xlsx', accessCode: 'X', access_code: 'Y', codeCiphertext: 'Z', operatorKey: 'K' })).toEqual({
      code: 'uid_taken',
      failure: 'not_xlsx',
      accessCode: '[redacted]',
      access_code: '[redacted]',
      codeCiphertext: '[redacted]',
      operatorKey: '[redacted]',
    });
  });
});
