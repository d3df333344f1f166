/**
 * The customer's local clock: the profile's time zone (what the customer told us), else the
 * moment's context time zone (where the triggering signal came from), else UTC.
 */
import type { MomentDetectedDetail } from '../contracts/events';
import type { Profile } from '../store/profile';
import { isValidTimeZone, localTimeOf, type LocalTime } from '../time';

export function customerTimeZone(profile: Profile | undefined, moment: MomentDetectedDetail): string {
  if (profile?.timezone && isValidTimeZone(profile.timezone)) return profile.timezone;
  if (moment.context?.timezone && isValidTimeZone(moment.context.timezone)) return moment.context.timezone;
  return 'UTC';
}

export function customerLocalTime(now: Date, profile: Profile | undefined, moment: MomentDetectedDetail): LocalTime {
  return localTimeOf(now, customerTimeZone(profile, moment));
}
