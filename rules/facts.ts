import type { Member } from '../db/members';

/** The facts a campaign rule may name: what the conditions see, nothing more. */
export const FACTS = ['member', 'event', 'campaign'] as const;

export interface RuleFacts {
  member: {
    id: string;
    tier: string | null;
    segments: string[];
    tags: string[];
    enrolledAt: string | null;
    attributes: Record<string, unknown>;
    balance: number;
  };
  event: { name: string; attributes: Record<string, unknown> };
  campaign: { id: string; name: string };
}

export function ruleFacts(member: Member, event: RuleFacts['event'], campaign: RuleFacts['campaign']): RuleFacts {
  const { id, tier, segments, tags, enrolledAt, attributes, balance } = member;
  return { member: { id, tier, segments, tags, enrolledAt, attributes, balance }, event, campaign };
}
