/**
 * IP address and CIDR handling for EventBridge's `cidr` operator, following aws/event-ruler (the
 * engine behind EventBridge): an address is only recognised when it has the plain dotted-quad or
 * hex-and-colons shape (no zone ids, no embedded IPv4 in IPv6), and an IPv4-mapped IPv6 address
 * counts as the IPv4 address it maps, as Java's InetAddress does.
 */

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;
const MASK_BITS = /^[+-]?[0-9]+$/;
const INT32_MAX = 2 ** 31 - 1;

/** Inclusive byte range; both ends have the same length (4 for IPv4, 16 for IPv6). */
export interface IpRange {
  readonly lower: Uint8Array;
  readonly upper: Uint8Array;
}

/** The 4 or 16 bytes of an IP literal, or undefined when `text` is not one. */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    // Leading zeros are read as decimal, as Java does, not as octal.
    const value = Number(parts[i]);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return undefined;
  let head: string[];
  let tail: string[];
  if (gap === -1) {
    head = text.split(':');
    tail = [];
    if (head.length !== 8) return undefined;
  } else {
    const before = text.slice(0, gap);
    const after = text.slice(gap + 2);
    head = before === '' ? [] : before.split(':');
    tail = after === '' ? [] : after.split(':');
    // "::" stands for at least one zero group.
    if (head.length + tail.length > 7) return undefined;
  }
  const groups = [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const group = groups[i] ?? '';
    if (!IPV6_GROUP.test(group)) return undefined;
    const value = parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  }
  return isIpv4Mapped(bytes) ? bytes.slice(12) : bytes;
}

function isIpv4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Parses `address/bits`. Returns the range or an error message. The range runs from the address
 * as written (event-ruler does not clear the host bits of the lower end) to the address with all
 * host bits set; event-ruler also refuses /32 for IPv4 and /128 for IPv6.
 */
export function parseCidr(text: string): IpRange | string {
  const parts = text.split('/');
  // Java's String.split drops trailing empty strings, so "10.0.0.0/24/" has one '/' there.
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) return `malformed CIDR "${text}": exactly one "/" is required`;
  const [address = '', bitsText = ''] = parts;
  const bits = MASK_BITS.test(bitsText) ? Number(bitsText) : NaN;
  if (!Number.isInteger(bits) || Math.abs(bits) > INT32_MAX) {
    return `malformed CIDR "${text}": the mask bits must be an integer`;
  }
  if (bits < 0) return `malformed CIDR "${text}": the mask bits must not be negative`;
  const lower = parseIpAddress(address);
  if (lower === undefined) return `malformed CIDR "${text}": "${address}" is not an IPv4 or IPv6 address`;
  const width = lower.length * 8;
  if (bits > width - 1) {
    return `malformed CIDR "${text}": ${lower.length === 4 ? 'IPv4' : 'IPv6'} mask bits must be below ${width}`;
  }
  const upper = lower.slice();
  let hostBits = width - bits;
  for (let i = upper.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    upper[i] = (upper[i] ?? 0) | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return { lower, upper };
}

export function ipInRange(address: Uint8Array, range: IpRange): boolean {
  return (
    address.length === range.lower.length &&
    compareBytes(address, range.lower) >= 0 &&
    compareBytes(address, range.upper) <= 0
  );
}

export function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
