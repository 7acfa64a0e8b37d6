import { Anchor, Text } from '@mantine/core';
import { useMe, workflowUrl } from '../session';

/** A job's workflow: a link to its Temporal UI page when the API knows where the UI is, else its id to search for. */
export function WorkflowLink({ workflowId }: { workflowId: string }) {
  const url = workflowUrl(useMe(), workflowId);
  return url ? (
    <Anchor href={url} target="_blank" rel="noreferrer" size="sm">
      Open in Temporal
    </Anchor>
  ) : (
    <Text size="xs" c="dimmed">
      {workflowId}
    </Text>
  );
}
