import { describe, expect, it } from 'vitest';
import { refusedAddress, v6Bytes } from './address-policy.ts';

// SSRF: outgoing webhooks may not reach the machine, its network or cloud metadata.
describe('webhook address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['192.168.1.10', 'private'],
    ['169.254.169.254', 'link-local'], ['100.64.0.1', 'carrier-grade NAT'], ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved or broadcast'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fc00::1', 'unique-local'], ['fd12:3456::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1: loopback'], ['::ffff:7f00:1', 'IPv4-mapped 127.0.0.1: loopback'],
    ['::ffff:169.254.169.254', 'IPv4-mapped 169.254.169.254: link-local'], ['::ffff:a00:1', 'IPv4-mapped 10.0.0.1: private'],
    ['::127.0.0.1', 'IPv4-compatible 127.0.0.1: loopback'], ['64:ff9b::a9fe:a9fe', 'NAT64 169.254.169.254: link-local'],
    ['2002:7f00:1::', '6to4 127.0.0.1: loopback'], ['2002:c0a8:101::1', '6to4 192.168.1.1: private'],
  ])('refuses %s (%s)', (ip, reason) => {
    expect(refusedAddress(ip)).toContain(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '203.0.113.9', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:808:808::1'])('allows %s', (ip) => {
    expect(refusedAddress(ip)).toBeNull();
  });

  it('lets loopback — and only loopback — through for local test receivers', () => {
    expect(refusedAddress('127.0.0.1', true)).toBeNull();
    expect(refusedAddress('::1', true)).toBeNull();
    expect(refusedAddress('::ffff:127.0.0.1', true)).toBeNull();
    expect(refusedAddress('10.0.0.1', true)).toBe('private');
    expect(refusedAddress('169.254.169.254', true)).toBe('link-local');
    expect(refusedAddress('fd00::1', true)).toContain('unique-local');
  });

  it('refuses what is not an address', () => {
    expect(refusedAddress('localhost')).toBe('not an IP address');
  });

  it('expands IPv6 forms to bytes', () => {
    expect(v6Bytes('::1')).toEqual([...Array(15).fill(0), 1]);
    expect(v6Bytes('[::ffff:127.0.0.1]')).toEqual([...Array(10).fill(0), 255, 255, 127, 0, 0, 1]);
    expect(v6Bytes('fe80::1%eth0').slice(0, 2)).toEqual([0xfe, 0x80]);
  });
});
