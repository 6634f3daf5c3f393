import { checkPasswordPolicy, hashPassword, normalizePassword, verifyPassword } from '../../shared/auth/passwords';
import { DomainError } from '../../shared/core/errors';

const codeOf = (action: () => unknown) => {
  try {
    action();
    return 'accepted';
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('password policy', () => {
  it('counts characters, not bytes, for the minimum', () => {
    expect(codeOf(() => checkPasswordPolicy('1234567'))).toBe('password_too_short');
    expect(codeOf(() => checkPasswordPolicy('1234x678'))).toBe('accepted');
    expect(codeOf(() => checkPasswordPolicy('😀😀😀😀😀😀😀'))).toBe('password_too_short');
    expect(codeOf(() => checkPasswordPolicy('😀😀😀😀😀😀😀😀'))).toBe('accepted');
  });

  it('refuses more than 72 bytes of UTF-8 instead of letting bcrypt truncate', () => {
    expect(codeOf(() => checkPasswordPolicy('a'.repeat(72)))).toBe('accepted');
    expect(codeOf(() => checkPasswordPolicy('a'.repeat(73)))).toBe('password_too_long');
    expect(codeOf(() => checkPasswordPolicy('é'.repeat(36)))).toBe('accepted');
    expect(codeOf(() => checkPasswordPolicy('é'.repeat(37)))).toBe('password_too_long');
  });

  it('normalises to NFKC so that equivalent forms match', async () => {
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';
    expect(normalizePassword(decomposed)).toBe(composed);
    const stored = await hashPassword(checkPasswordPolicy(composed), 4);
    await expect(verifyPassword(decomposed, stored)).resolves.toBe(true);
    await expect(verifyPassword('cafe au lait', stored)).resolves.toBe(false);
  });

  it('never accepts a longer password that shares the first 72 bytes', async () => {
    const password = 'p'.repeat(72);
    const stored = await hashPassword(checkPasswordPolicy(password), 4);
    await expect(verifyPassword(password, stored)).resolves.toBe(true);
    await expect(verifyPassword(`${password}extra`, stored)).resolves.toBe(false);
  });
});

describe('common passwords', () => {
  it('refuses the most common passwords in any letter case', () => {
    expect(codeOf(() => checkPasswordPolicy('password'))).toBe('password_too_common');
    expect(codeOf(() => checkPasswordPolicy('PassWord'))).toBe('password_too_common');
    expect(codeOf(() => checkPasswordPolicy('12345678'))).toBe('password_too_common');
    expect(codeOf(() => checkPasswordPolicy('qwertyuiop'))).toBe('password_too_common');
    expect(codeOf(() => checkPasswordPolicy('lavender tractor quietly'))).toBe('accepted');
  });
});
