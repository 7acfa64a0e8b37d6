import type { MemberProfile } from '../model/member';

/** The facts a campaign rule may name: what the conditions see, nothing more. */
export const FACTS = ['member', 'event', 'campaign'] as const;

export interface RuleFacts {
  member: MemberProfile;
  event: { name: string; attributes: Record<string, unknown> };
  campaign: { id: string; name: string };
}

/** Only the profile fields: a stored row's timestamps or version never reach the rules. */
export function ruleFacts(member: MemberProfile, event: RuleFacts['event'], campaign: RuleFacts['campaign']): RuleFacts {
  const { id, tier, segments, tags, enrolledAt, attributes, balance } = member;
  return { member: { id, tier, segments, tags, enrolledAt, attributes, balance }, event, campaign };
}
