import ipaddr from "ipaddr.js";

/**
 * The range an IP address belongs to, as ipaddr.js names them (`unicast`,
 * `loopback`, `private`, `linkLocal`, `uniqueLocal`, `carrierGradeNat`, …);
 * IPv4-mapped IPv6 addresses are classified as the IPv4 address they carry.
 * Undefined when `text` is not an IP address (a host name).
 */
export function addressRange(text: string): string | undefined {
  const bare = text.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return undefined;
  let address = ipaddr.parse(bare);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  return address.range();
}

/** Only globally routable unicast addresses are public; everything else (loopback, private, link-local, metadata, multicast, reserved…) is not. */
export function isPublicRange(range: string): boolean {
  return range === "unicast";
}
