/**
 * The ses kind (email): one SES v2 SendEmail per notification, from a configured address through
 * the stack's configuration set (shared/adapters/ses-channel.ts). Construct part:
 * infra/constructs/channels/ses.ts; local stand-in: local/channels/ses.ts.
 *
 * Where an email goes. The PROFILE holds no contact data (no email address, no phone number):
 * like the SNS subscribers that reach a phone by the brand's external id, email is addressed by
 * that id, to `<externalId>@<relayDomain>`, a domain whose mail the brand's own mail system
 * (an SES receipt rule, its ESP's alias feature) forwards to the customer's inbox. The pipeline
 * never stores or sees an email address; the brand, which has it already, resolves it. A customer
 * without an external id (anonymous, or personalisation withdrawn), or one whose id cannot be a
 * mailbox name, is not emailed: the decision is recorded as CHANNEL_REJECTED, without the id.
 */
import { fail, str } from '../config/checks';
import { isExampleEndpoint } from './webhook';
import type { ChannelDescriptor } from './descriptor';

export interface SesChannelSettings {
  kind: 'ses';
  enabled: boolean;
  /** The From address; its domain (or the address) must be an SES identity verified in the account and region. */
  fromAddress: string;
  /** The identity to send as, when it is not the From address's domain in this account and region (sending authorization). */
  identityArn?: string;
  /** The brand's relay domain: mail to `<externalId>@<relayDomain>` reaches the customer. */
  relayDomain: string;
}

/** The configuration set's name, in the function's environment (set by the construct part). */
export const SES_CONFIGURATION_SET_ENV = 'MM_SES_CONFIGURATION_SET';

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const IDENTITY_ARN = /^arn:aws[a-z-]*:ses:[a-z0-9-]+:\d{12}:identity\/(.+)$/;

/** `<externalId>@<relayDomain>`, or undefined when the id cannot be a mailbox name (RFC 5321 dot-atom, at most 64 characters). */
export function relayAddress(externalId: string | undefined, relayDomain: string): string | undefined {
  if (externalId === undefined || externalId.length > 64 || !LOCAL_PART.test(externalId)) return undefined;
  return `${externalId}@${relayDomain}`;
}

/** The domain of an address, lower-cased. */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

const isExampleDomain = (domain: string) => isExampleEndpoint(`https://${domain}/`);

export const sesKind: ChannelDescriptor<SesChannelSettings> = {
  kind: 'ses',
  summary: 'SES email',
  serves: ['email'],
  keys: ['fromAddress', 'identityArn', 'relayDomain'],
  validate(settings, f) {
    const from = str(settings.fromAddress, `${f}.fromAddress`);
    const at = from.lastIndexOf('@');
    if (at < 1 || !LOCAL_PART.test(from.slice(0, at)) || !DOMAIN.test(from.slice(at + 1).toLowerCase())) {
      fail(`${f}.fromAddress`, 'must be an email address (local-part@domain, no display name)', from);
    }
    const relay = str(settings.relayDomain, `${f}.relayDomain`);
    if (!DOMAIN.test(relay)) fail(`${f}.relayDomain`, 'must be a lower-case domain name (the brand relay that maps <externalId>@domain to the customer)', relay);
    if (settings.identityArn !== undefined) {
      const arn = str(settings.identityArn, `${f}.identityArn`);
      const identity = IDENTITY_ARN.exec(arn)?.[1].toLowerCase();
      if (!identity) fail(`${f}.identityArn`, 'must be an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<domain or address>)', arn);
      const fromDomain = domainOf(from);
      if (identity !== from.toLowerCase() && identity !== fromDomain && !fromDomain.endsWith(`.${identity}`)) {
        fail(`${f}.identityArn`, `names identity "${identity}", which does not cover ${f}.fromAddress (its address, its domain or a parent domain)`, arn);
      }
    }
  },
  validateDeployment(settings, f, config) {
    for (const [key, domain] of [['fromAddress', domainOf(settings.fromAddress)], ['relayDomain', settings.relayDomain]] as const) {
      if (isExampleDomain(domain)) {
        fail(`${f}.${key}`, `is on a domain reserved for documentation, and stage "${config.stage}" is not in devStages: name your own (or set ${f}.enabled to false)`, settings[key]);
      }
    }
  },
  secrets: [],
  env: { [SES_CONFIGURATION_SET_ENV]: 'the name of the SES configuration set' },
};
