import { createContext, useContext } from 'react';
import type { Schemas } from './api/client';

export type Me = Schemas['Me'];
export const MeContext = createContext<Me>({ role: 'marketer', keyId: '', temporalUiUrl: null, temporalNamespace: 'default' });
export const useMe = () => useContext(MeContext);

/** What each role may do in the console (README "Roles"); admins may do everything. */
export function can(
  me: Me,
  action:
    'editCampaigns' | 'cancelCodes' | 'rollBack' | 'statusImports' | 'createRewards' | 'jobs' | 'webhooks' | 'distribute' | 'readHistory',
): boolean {
  if (me.role === 'admin') return true;
  const byRole: Record<string, string[]> = {
    marketer: ['editCampaigns', 'createRewards', 'jobs', 'webhooks', 'distribute', 'readHistory'],
    operator: ['cancelCodes', 'rollBack', 'statusImports', 'jobs', 'distribute'],
  };
  return byRole[me.role]?.includes(action) ?? false;
}

/** The Temporal UI page of a workflow, when the API knows where the UI is. */
export function workflowUrl(me: Me, workflowId: string): string | null {
  return me.temporalUiUrl
    ? `${me.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(me.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`
    : null;
}
