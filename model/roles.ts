/** Who an API key acts as (README: "Roles"). */
export const ROLES = ['admin', 'marketer', 'operator', 'producer'] as const;
export type Role = (typeof ROLES)[number];
