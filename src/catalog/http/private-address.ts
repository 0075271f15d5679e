import { BlockList, isIP } from 'node:net';

/**
 * Addresses a crawl must not reach unless told to: "this" network, loopback, RFC 1918 private,
 * carrier-grade NAT (Alibaba's metadata service is 100.100.100.200), link-local (the cloud metadata
 * services at 169.254.169.254), benchmarking, multicast and reserved ranges; IPv6 unspecified,
 * loopback, unique-local (AWS's fd00:ec2::254), link-local, site-local and multicast.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address embeds (`::ffff:127.0.0.1`, `::127.0.0.1`, NAT64), if any. */
function embeddedIpv4(ip: string): string | undefined {
  const m = /^(?:::(?:ffff(?::0)?:)?|64:ff9b::)((?:\d+\.){3}\d+)$/i.exec(ip);
  if (m) return m[1];
  // The URL parser writes mapped addresses in hex: ::ffff:7f00:1.
  const h = /^(?:::(?:ffff(?::0)?:)?|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (!h) return undefined;
  const hi = parseInt(h[1]!, 16);
  const lo = parseInt(h[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/**
 * Whether an IP address (v4 or v6, without brackets) is loopback, private, link-local,
 * unique-local, metadata or otherwise not a public unicast address. Not an IP address: false.
 */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return BLOCKED.check(ip, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(ip);
  if (v4 !== undefined && isIP(v4) === 4) return BLOCKED.check(v4, 'ipv4');
  return BLOCKED.check(ip, 'ipv6');
}

/**
 * The host name of a URL as an IP address when it is one, in the WHATWG URL parser's spelling:
 * `http://2130706433/`, `http://0x7f.1/` and `http://127.1/` are all 127.0.0.1, `[::1]` is ::1.
 * Undefined for a DNS name.
 */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : undefined;
}
