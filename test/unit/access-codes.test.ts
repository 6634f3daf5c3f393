import fc from 'fast-check';
import {
  accessCodeAlphabet,
  accessCodeHash,
  decryptAccessCode,
  encryptAccessCode,
  formatAccessCode,
  newAccessCode,
  normalizeAccessCode,
} from '../../shared/auth/access-codes';
import { Uid } from '../../shared/schemas/invitations';

const codeArbitrary = fc.string({ unit: fc.constantFrom(...accessCodeAlphabet), minLength: 16, maxLength: 16 });

describe('access codes', () => {
  it('have 16 symbols of a 32-symbol alphabet without look-alikes: 80 bits', () => {
    expect(new Set(accessCodeAlphabet).size).toBe(32);
    for (const lookAlike of '01IO') expect(accessCodeAlphabet).not.toContain(lookAlike);
    const code = newAccessCode();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{16}$/);
    expect(formatAccessCode(code)).toMatch(/^(.{4}-){3}.{4}$/);
  });

  it('use every symbol about equally often (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 4000; index++) for (const symbol of newAccessCode()) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    const expected = (4000 * 16) / 32;
    for (const symbol of accessCodeAlphabet) expect(Math.abs((counts.get(symbol) ?? 0) - expected) / expected).toBeLessThan(0.15);
  });

  it('normalise whatever case, spaces and hyphens the person typed to the same code', () => {
    fc.assert(
      fc.property(codeArbitrary, fc.array(fc.constantFrom(' ', '-', '  ', '\t'), { minLength: 17, maxLength: 17 }), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), (code, separators, lower) => {
        const typed = [...code].map((symbol, index) => `${separators[index]}${lower[index] ? symbol.toLowerCase() : symbol}`).join('') + separators[16];
        expect(normalizeAccessCode(typed)).toBe(code);
        expect(normalizeAccessCode(formatAccessCode(code))).toBe(code);
      }),
    );
  });

  it('refuse anything that is not 16 symbols of the alphabet', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (typed) => {
        const canonical = normalizeAccessCode(typed);
        if (canonical !== undefined) expect(canonical).toMatch(/^[2-9A-HJ-NP-Z]{16}$/);
      }),
    );
    expect(normalizeAccessCode('ABCD-EFGH-JKMN-PQR')).toBeUndefined();
    expect(normalizeAccessCode('ABCD-EFGH-JKMN-PQRST')).toBeUndefined();
    expect(normalizeAccessCode('ABCD-EFGH-JKMN-PQR0')).toBeUndefined();
  });

  it('hash the canonical form, so any typing finds the same invitation', () => {
    expect(accessCodeHash(normalizeAccessCode('abcd efgh jkmn pqrs')!)).toBe(accessCodeHash('ABCDEFGHJKMNPQRS'));
  });

  it('are sealed with the invitation id: the ciphertext opens only for that invitation', async () => {
    const sealed = await encryptAccessCode('ABCDEFGHJKMNPQRS', 'inv-1');
    expect(sealed).not.toContain('ABCDEFGHJKMNPQRS');
    await expect(decryptAccessCode(sealed, 'inv-1')).resolves.toBe('ABCDEFGHJKMNPQRS');
    await expect(decryptAccessCode(sealed, 'inv-2')).rejects.toThrow();
    expect(await encryptAccessCode('ABCDEFGHJKMNPQRS', 'inv-1')).not.toBe(sealed);
  });
});

describe('uid rules', () => {
  it('accept 1 to 64 ASCII letters and digits, kept as typed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,64}$/), (uid) => {
        expect(Uid.parse(uid)).toBe(uid);
      }),
    );
  });

  it('refuse anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const trimmed = text.trim();
        const valid = /^[A-Za-z0-9]{1,64}$/.test(trimmed);
        expect(Uid.safeParse(text).success).toBe(valid);
      }),
    );
    for (const bad of ['', 'a'.repeat(65), 'E-1', 'É1', 'a b', 'ａ1']) expect(Uid.safeParse(bad).success).toBe(false);
  });
});
