import { clientKey, unknownClientCounters } from '../../shared/domain/throttle';

describe('clientKey: whom a per-client counter counts', () => {
  it('keeps an IPv4 address, and an IPv4-mapped IPv6 one, as it is', () => {
    expect(clientKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientKey('::ffff:203.0.113.9')).toBe('::ffff:203.0.113.9');
  });

  it('counts every address of one IPv6 /64 together, however it is written', () => {
    const one = ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:0db8:0001:0002::1', '2001:DB8:1:2::ffff:1', '2001:db8:1:2::'].map(clientKey);
    expect(new Set(one)).toEqual(new Set(['2001:db8:1:2::/64']));
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('unknownClientCounters', () => {
  it('hard-stops uid:domain identifiers, whose admin can lift it, and not email addresses', () => {
    expect(unknownClientCounters('E1042:acme.example', '203.0.113.9').map((counter) => counter.scope)).toEqual(['window', 'window', 'consecutive']);
    expect(unknownClientCounters('ann@acme.example', '203.0.113.9').map((counter) => counter.scope)).toEqual(['window', 'window']);
  });
});
