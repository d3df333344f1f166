/** Small helpers of the redrive CLI, kept apart so they can be tested without AWS. */

/** `https://sqs.eu-west-1.amazonaws.com/123456789012/name` → `eu-west-1`; undefined for other hosts. */
export function regionOfQueueUrl(url: string): string | undefined {
  try {
    const m = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/**
 * An endpoint on this machine is an emulator, which accepts any credentials; any other endpoint
 * (a VPC endpoint, a proxy) gets the normal credential chain.
 */
export function isLoopbackEndpoint(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
  } catch {
    return false;
  }
}
