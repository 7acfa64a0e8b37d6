import { BlockList, isIP } from 'node:net';

/**
 * Which IP addresses a webhook may never reach (SSRF guard): anything inside the deployment or not routable on
 * the public internet. Checked on the address a delivery actually connects to, after DNS resolution.
 */
export const REFUSED_ADDRESS_CLASSES = [
  'metadata',
  'loopback',
  'private',
  'link_local',
  'cgnat',
  'multicast',
  'unspecified',
  'reserved',
] as const;
export type RefusedAddressClass = (typeof REFUSED_ADDRESS_CLASSES)[number];

type Range = [network: string, prefix: number, family: 'ipv4' | 'ipv6', kind: RefusedAddressClass];

// Order matters: the first match names the class (metadata before the link-local/private range holding it).
const RANGES: Range[] = [
  ['169.254.169.254', 32, 'ipv4', 'metadata'],
  ['fd00:ec2::254', 128, 'ipv6', 'metadata'],
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'cgnat'],
  ['169.254.0.0', 16, 'ipv4', 'link_local'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['192.0.0.0', 24, 'ipv4', 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'ipv4', 'reserved'], // documentation
  ['198.18.0.0', 15, 'ipv4', 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'ipv4', 'reserved'],
  ['203.0.113.0', 24, 'ipv4', 'reserved'],
  ['240.0.0.0', 4, 'ipv4', 'reserved'], // includes the broadcast address
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['fc00::', 7, 'ipv6', 'private'], // unique local
  ['fe80::', 10, 'ipv6', 'link_local'],
  ['fec0::', 10, 'ipv6', 'private'], // deprecated site-local
  ['ff00::', 8, 'ipv6', 'multicast'],
  ['100::', 64, 'ipv6', 'reserved'], // discard
  ['2001:db8::', 32, 'ipv6', 'reserved'], // documentation
];

const LISTS = RANGES.map(([network, prefix, family, kind]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, kind };
});

/**
 * An IPv4 address carried inside an IPv6 one: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and
 * NAT64 (64:ff9b::a.b.c.d) all end up at the IPv4 address, so they are judged as that address.
 */
function embeddedIpv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const match = /^(?:::ffff:(?:0:)?|::|64:ff9b::)(.+)$/.exec(lower);
  if (!match) return undefined;
  const tail = match[1];
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!hex) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The class of address a webhook may not reach, or null when it is a public address. Not an IP: 'reserved'. */
export function refusedAddressClass(address: string): RefusedAddressClass | null {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return 'reserved';
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    if (v4 !== undefined) return refusedAddressClass(v4);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, family: f, kind } of LISTS) if (f === type && list.check(bare, type)) return kind;
  return null;
}
