import net from 'node:net';

/**
 * Which IP addresses an outgoing webhook may reach (SSRF guard). Refused:
 * unspecified (0.0.0.0, ::), loopback (127/8, ::1), private (10/8, 172.16/12,
 * 192.168/16), carrier-grade NAT (100.64/10), link-local (169.254/16 — cloud
 * metadata lives there — and fe80::/10), unique-local (fc00::/7), multicast,
 * broadcast and reserved space; and IPv6 forms that embed an IPv4 address
 * (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::/96 NAT64, 2002::/16
 * 6to4) are judged by the IPv4 address inside. `allowLoopback` (tests with a
 * local receiver: MOSAIC_WEBHOOK_ALLOW_PRIVATE=true) lets loopback through and
 * nothing else.
 *
 * Returns the reason an address is refused, or null when it may be reached.
 */
export function refusedAddress(ip: string, allowLoopback = false): string | null {
  const family = net.isIP(ip);
  if (family === 4) return refusedV4(v4Bytes(ip), allowLoopback);
  if (family === 6) return refusedV6(v6Bytes(ip), allowLoopback);
  return 'not an IP address';
}

function refusedV4(b: number[], allowLoopback: boolean): string | null {
  const [a, c] = b;
  if (a === 127) return allowLoopback ? null : 'loopback';
  if (a === 0) return 'unspecified ("this network")';
  if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) return 'private';
  if (a === 100 && c >= 64 && c <= 127) return 'carrier-grade NAT (shared)';
  if (a === 169 && c === 254) return 'link-local';
  if (a === 192 && c === 0 && b[2] === 0) return 'IETF protocol assignments';
  if (a === 198 && (c === 18 || c === 19)) return 'benchmarking';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved or broadcast';
  return null;
}

function refusedV6(b: number[], allowLoopback: boolean): string | null {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 16)) return 'unspecified';
  if (zeros(0, 15) && b[15] === 1) return allowLoopback ? null : 'loopback';
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return embedded(b.slice(12), 'IPv4-mapped', allowLoopback);
  if (zeros(0, 12)) return embedded(b.slice(12), 'IPv4-compatible', allowLoopback);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return embedded(b.slice(12), 'NAT64', allowLoopback);
  if (b[0] === 0x20 && b[1] === 0x02) return embedded(b.slice(2, 6), '6to4', allowLoopback);
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return 'link-local';
  if ((b[0] & 0xfe) === 0xfc) return 'unique-local (private)';
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return 'site-local (deprecated private)';
  if (b[0] === 0xff) return 'multicast';
  if (b[0] === 0x01 && zeros(1, 8)) return 'discard-only';
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return 'documentation';
  return null;
}

function embedded(v4: number[], how: string, allowLoopback: boolean): string | null {
  const r = refusedV4(v4, allowLoopback);
  return r ? `${how} ${v4.join('.')}: ${r}` : null;
}

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** 16 bytes of an IPv6 address (with "::" and a dotted IPv4 tail, without a zone). */
export function v6Bytes(ip: string): number[] {
  let s = ip.replace(/^\[|\]$/g, '').split('%')[0].toLowerCase();
  let tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    tail = v4Bytes(dotted[1]);
    s = s.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, null];
  const h = head ? head.split(':') : [];
  const r = rest === null ? [] : rest ? rest.split(':') : [];
  const groups = rest === null ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}
