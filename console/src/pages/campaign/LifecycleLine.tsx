import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, ok, type Schemas } from '../../api/client';
import { fmtDate } from '../../components/common';

type Lifecycle = Schemas['CampaignLifecycle'];

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Active · ends 1 Dec 2026, 00:00 UTC (timer set)": the workflow's status and the change it will make next. */
export function describeLifecycle(l: Lifecycle, timeZone = 'UTC'): string {
  const status = capitalized(l.status);
  if (l.nextTimer) {
    const verb = l.nextTimer.to === 'active' ? 'starts' : l.nextTimer.to === 'ended' ? 'ends' : `becomes ${l.nextTimer.to}`;
    return `${status} · ${verb} ${fmtDate(l.nextTimer.at, timeZone)} (timer set)`;
  }
  if (l.status === 'ended') return status;
  return `${status} · no timer set${l.endsAt ? ` (ends ${fmtDate(l.endsAt, timeZone)})` : ''}`;
}

/** The campaign's lifecycle as its workflow reports it, dates in the campaign's zone; a campaign without a workflow says so. */
export function LifecycleLine({ id, timeZone }: { id: string; timeZone: string }) {
  const lifecycle = useQuery({
    queryKey: ['campaign', id, 'lifecycle'],
    queryFn: () => ok(api.GET('/v1/campaigns/{id}/lifecycle', { params: { path: { id } } })),
    retry: false,
  });
  const missing = lifecycle.error instanceof ApiProblem && lifecycle.error.code === 'lifecycle_not_found';
  const text = lifecycle.data
    ? describeLifecycle(lifecycle.data, timeZone)
    : missing
      ? 'No lifecycle workflow yet'
      : lifecycle.error
        ? `Lifecycle unavailable: ${lifecycle.error.message}`
        : 'Reading the lifecycle…';
  return (
    <Text component="span" display="block" size="sm" mt={4} data-testid="lifecycle">
      {text}
    </Text>
  );
}
