import fc from 'fast-check';
import { looksLikeApiKey, newApiKey, newId, newSessionToken, parseApiKey, parseSessionToken, secretsEqual, sha256Hex } from '../../shared/auth/tokens';

describe('session tokens', () => {
  it('carry 256 random bits and name their tenant and user', () => {
    const token = newSessionToken('tenant1', 'user1');
    const secret = token.split('.')[3]!;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(parseSessionToken(token)).toEqual({ tenantId: 'tenant1', userId: 'user1' });
    expect(newSessionToken('tenant1', 'user1')).not.toBe(token);
  });

  it('parse nothing that was not made by newSessionToken', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseSessionToken(text);
        if (parsed) expect(text.startsWith(`em1.${parsed.tenantId}.${parsed.userId}.`)).toBe(true);
      }),
    );
    expect(parseSessionToken('em1.a.b')).toBeUndefined();
    expect(parseSessionToken(`em1.A.b.${'x'.repeat(43)}`)).toBeUndefined();
    expect(parseSessionToken(`em1.a.b.${'x'.repeat(43)}.extra`)).toBeUndefined();
  });

  it('hash to a stable hex digest', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('API keys', () => {
  it('carry 256 random bits, name their tenant and key, and keep only the secret\'s hash', () => {
    const { key, secretHash } = newApiKey('tenant1', 'key1');
    const parsed = parseApiKey(key)!;
    expect(parsed).toEqual({ tenantId: 'tenant1', keyId: 'key1', secret: expect.any(String) });
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    expect(key).toBe(`emk_tenant1_key1_${parsed.secret}`);
    expect(secretHash).toBe(sha256Hex(parsed.secret));
    expect(secretHash).not.toContain(parsed.secret);
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey(newSessionToken('tenant1', 'user1'))).toBe(false);
    expect(newApiKey('tenant1', 'key1').key).not.toBe(key);
  });

  it('parse nothing that was not made by newApiKey, also with underscores in the secret', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseApiKey(text);
        if (parsed) expect(text).toBe(`emk_${parsed.tenantId}_${parsed.keyId}_${parsed.secret}`);
      }),
    );
    expect(parseApiKey(`emk_t_k_${'_'.repeat(43)}`)).toEqual({ tenantId: 't', keyId: 'k', secret: '_'.repeat(43) });
    expect(parseApiKey(`emk_T_k_${'x'.repeat(43)}`)).toBeUndefined();
    expect(parseApiKey(`emk_t_k_${'x'.repeat(42)}`)).toBeUndefined();
    expect(parseApiKey(`emk_t_k_${'x'.repeat(44)}`)).toBeUndefined();
    expect(parseApiKey(`em1.t.k.${'x'.repeat(43)}`)).toBeUndefined();
  });
});

describe('ids and secrets', () => {
  it('makes 26-character lower-case ids without collisions in a sample', () => {
    const ids = new Set(Array.from({ length: 10_000 }, newId));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^[a-z2-7]{26}$/);
  });

  it('compares secrets of any length', () => {
    expect(secretsEqual('same', 'same')).toBe(true);
    expect(secretsEqual('same', 'samf')).toBe(false);
    expect(secretsEqual('short', 'a much longer secret')).toBe(false);
  });
});
