/**
 * The channel names, declared here and nowhere else. Everything that lists channels is derived
 * from this list: the channel enums of the JSON Schemas (written by `npm run generate:validators`,
 * and a test fails when a schema is out of date), the consent keys of the PROFILE
 * (shared/store/profile.ts), the scrubber's known values, the configuration's `channels` and
 * routing targets. How a channel delivers is its kind's descriptor (shared/channels/).
 */
export const CHANNELS = ['push', 'email', 'sms', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export const isChannel = (value: unknown): value is Channel => typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);
