/**
 * The construct part of each channel kind (shared/channels/ lists the kinds): a record over
 * ChannelKind, so a kind without its part does not compile.
 */
import type { ChannelKind, ChannelSettings } from '../../../shared/channels';
import type { ChannelConstructPart } from './part';
import { sesPart } from './ses';
import { snsPart } from './sns';
import { webhookPart } from './webhook';

export const CHANNEL_CONSTRUCT_PARTS: { [K in ChannelKind]: ChannelConstructPart<Extract<ChannelSettings, { kind: K }>> } = {
  webhook: webhookPart,
  sns: snsPart,
  ses: sesPart,
};

export type { ChannelConstructPart, ChannelKindResources } from './part';
