/**
 * The channel kinds: the one list the configuration, the notify handler, the notification
 * construct and local mode iterate. A new kind is a descriptor file here and one line below (its
 * adapter factory, construct part and local stand-in are listed likewise, each beside its own
 * code, and the compiler asks for all three: their registries are records over ChannelKind).
 */
import type { ChannelDescriptor, ChannelSettingsBase } from './descriptor';
import { sesKind } from './ses';
import { snsKind } from './sns';
import { webhookKind } from './webhook';

export const CHANNEL_KINDS = {
  webhook: webhookKind,
  sns: snsKind,
  ses: sesKind,
} as const;

export type ChannelKind = keyof typeof CHANNEL_KINDS;
type SettingsOf<D> = D extends ChannelDescriptor<infer S> ? S : never;
/** The settings of any channel: the union of the kinds' own settings. */
export type ChannelSettings = SettingsOf<(typeof CHANNEL_KINDS)[ChannelKind]>;

export const CHANNEL_KIND_NAMES = Object.keys(CHANNEL_KINDS) as ChannelKind[];

export const isChannelKind = (kind: unknown): kind is ChannelKind => typeof kind === 'string' && Object.hasOwn(CHANNEL_KINDS, kind);

/**
 * The descriptor of a channel's settings. Typed for the settings it is given: the registry is keyed
 * by `kind`, so the descriptor found there is the one whose settings these are.
 */
export function channelKindOf<S extends ChannelSettingsBase>(settings: S): ChannelDescriptor<S> {
  if (!isChannelKind(settings.kind)) throw new Error(`unknown channel kind ${JSON.stringify(settings.kind)}`);
  return CHANNEL_KINDS[settings.kind] as unknown as ChannelDescriptor<S>;
}

export type { ChannelDescriptor, ChannelSettingsBase } from './descriptor';
export type { WebhookChannelSettings } from './webhook';
export type { SnsChannelSettings } from './sns';
export type { SesChannelSettings } from './ses';
export { isExampleEndpoint } from './webhook';
