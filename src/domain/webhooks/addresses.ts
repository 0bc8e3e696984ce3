/**
 * SSRF guard: in production an endpoint may only be reached on a public unicast address. Checked
 * after DNS resolution, at registration and in the socket's own lookup on every attempt, so the
 * connection goes to exactly the address that was checked (a DNS answer that changes between the
 * check and the connect, "rebinding", cannot slip through). Redirects are never followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Only ipaddr.js' `unicast` range is public: loopback, private, link-local (169.254.169.254, the
 * cloud metadata address), unique-local (fd00:ec2::254), carrier-grade NAT, multicast, reserved,
 * 6to4/Teredo/NAT64 tunnels are all other ranges. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as
 * the IPv4 address it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

export class ForbiddenAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to ${address}, which is not a public address`);
    this.name = 'ForbiddenAddressError';
  }
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** Every address the host resolves to, when all of them are public; throws otherwise. */
export async function assertPublicHost(hostname: string): Promise<void> {
  const host = bareHost(hostname);
  const addresses = isIP(host)
    ? [host]
    : (
        await new Promise<LookupAddress[]>((resolve, reject) => {
          dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found)));
        })
      ).map((a) => a.address);
  const bad = addresses.find((a) => !isPublicAddress(a));
  if (bad !== undefined) throw new ForbiddenAddressError(host, bad);
}

/** A socket `lookup` that refuses non-public answers: what the connection uses is what was checked. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new ForbiddenAddressError(hostname, bad.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`${hostname} has no address`), '', 0);
    callback(null, first.address, first.family);
  });
};
