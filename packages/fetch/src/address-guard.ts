import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { PermanentError } from '@newsflow/core';

/**
 * True for every address a fetcher must not reach on a user's behalf: loopback, private (RFC 1918, ULA),
 * link-local (which holds cloud metadata at 169.254.169.254), carrier-grade NAT, multicast, reserved, unspecified.
 * Only plain global unicast passes.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    // ::ffff:a.b.c.d (mapped) and the deprecated ::a.b.c.d (compatible) both reach the IPv4 address.
    const compatible = v6.parts.slice(0, 6).every((part) => part === 0) && (v6.parts[6] !== 0 || v6.parts[7]! > 1);
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (compatible) parsed = ipaddr.fromByteArray(v6.toByteArray().slice(12));
  }
  return parsed.range() !== 'unicast';
}

export function refusedAddressError(host: string, address: string): PermanentError {
  return new PermanentError(
    `refused to connect to ${host} (${address}): private or internal address (set fetch.allowPrivateNetworks: true to allow)`,
    'private_address',
  );
}

/** Refuses a literal IP host before any connection is attempted (DNS lookup is skipped for literals). */
export function assertPublicHost(hostname: string): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(bare) && isPrivateAddress(bare)) throw refusedAddressError(hostname, bare);
}

/**
 * A `lookup` for http.request that resolves the name and refuses it when any resolved address is internal, so the
 * check applies to the IP actually connected to (no DNS-rebinding gap between check and connect).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(refusedAddressError(hostname, refused.address), '', 0);
    if (options.all) return callback(null, addresses as unknown as string, 0);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};
