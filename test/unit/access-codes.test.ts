import { createCipheriv, randomBytes } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretCacheMs, secretValue, secretVersions } from '../../shared/aws/secrets';
import fc from 'fast-check';
import {
  accessCodeAlphabet,
  accessCodeHash,
  codeKeyFrom,
  decryptAccessCode,
  encryptAccessCode,
  formatAccessCode,
  newAccessCode,
  normalizeAccessCode,
  openAccessCode,
  sealAccessCode,
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

describe('rotating the code key', () => {
  const oldKey = codeKeyFrom('the old code key, long enough');
  const newKey = codeKeyFrom('the new code key, long enough');

  it('names the key in the ciphertext, and opens codes sealed before the rotation with the previous key', () => {
    const before = sealAccessCode({ current: oldKey }, 'ABCDEFGHJKMNPQRS', 'inv-1');
    expect(before.split('.').slice(0, 2)).toEqual(['v2', oldKey.id]);
    const during = { current: newKey, previous: oldKey };
    expect(openAccessCode(during, before, 'inv-1')).toBe('ABCDEFGHJKMNPQRS');
    const after = sealAccessCode(during, 'ABCDEFGHJKMNPQRS', 'inv-1');
    expect(after.split('.')[1]).toBe(newKey.id);
    expect(openAccessCode({ current: newKey }, after, 'inv-1')).toBe('ABCDEFGHJKMNPQRS');
    // Once the old key is gone, its codes say so instead of failing as a bad tag.
    expect(() => openAccessCode({ current: newKey }, before, 'inv-1')).toThrow(`No access-code key with id ${oldKey.id}`);
    expect(oldKey.id).not.toBe(newKey.id);
    expect(oldKey.id).not.toContain(oldKey.key.toString('hex').slice(0, 12));
  });

  it('still opens v1 ciphertexts (no key id) with the current or the previous key', () => {
    const v1 = (key: Buffer, code: string, invitationId: string) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(invitationId));
      const ciphertext = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    };
    const sealed = v1(oldKey.key, 'ABCDEFGHJKMNPQRS', 'inv-1');
    expect(openAccessCode({ current: oldKey }, sealed, 'inv-1')).toBe('ABCDEFGHJKMNPQRS');
    expect(openAccessCode({ current: newKey, previous: oldKey }, sealed, 'inv-1')).toBe('ABCDEFGHJKMNPQRS');
    expect(() => openAccessCode({ current: newKey }, sealed, 'inv-1')).toThrow();
  });
});

describe('secrets read from Secrets Manager', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are kept for a bounded time, with the previous version during a rotation', async () => {
    let current = 'operator key one, long enough';
    let previous: string | undefined = undefined;
    const read = async (command: { input?: { VersionStage?: string } }) => {
      if (command.input?.VersionStage === 'AWSPREVIOUS') {
        if (!previous) throw Object.assign(new Error('no previous'), { name: 'ResourceNotFoundException' });
        return { SecretString: previous };
      }
      return { SecretString: current };
    };
    const send = jest.spyOn(SecretsManagerClient.prototype, 'send').mockImplementation(read as never);
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const arn = 'arn:aws:secretsmanager:eu-west-3:000000000000:secret:unit-test';
    expect(await secretVersions('the key', {}, arn)).toEqual({ current: 'operator key one, long enough' });
    previous = current;
    current = 'operator key two, long enough';
    now += secretCacheMs - 1;
    expect(await secretValue('the key', undefined, arn)).toBe('operator key one, long enough');
    now += 2;
    expect(await secretVersions('the key', {}, arn)).toEqual({ current: 'operator key two, long enough', previous: 'operator key one, long enough' });
    expect(send).toHaveBeenCalledTimes(4);
  });
});
