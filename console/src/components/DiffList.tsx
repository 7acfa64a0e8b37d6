import { Code, Group, List, Text, VisuallyHidden } from '@mantine/core';
import type { Schemas } from '../api/client';

type Change = Schemas['AuditChange'];

/** A value as text; an empty string shows as "" rather than as nothing. */
const shown = (value: unknown) => (typeof value === 'string' && value !== '' ? value : JSON.stringify(value));

/**
 * A change value by value, as the API computes it (path, before, after): "rules.0.name: gold only → anyone".
 * The old value is a <del>, the new an <ins>, each with a hidden "before:"/"after:" for screen readers: not only
 * colour and strike-through say which side is which.
 */
export function DiffList({ changes, label }: { changes: Change[]; label: string }) {
  if (changes.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No value changed.
      </Text>
    );
  return (
    <List size="sm" spacing={4} aria-label={label} listStyleType="none">
      {changes.map((c) => (
        <List.Item key={c.path} data-testid="diff-change">
          <Group gap={6} wrap="wrap">
            <Code>{c.path || '(whole record)'}</Code>
            {'before' in c && (
              <Text component="del" size="sm" c="red.9">
                <VisuallyHidden>before: </VisuallyHidden>
                {shown(c.before)}
              </Text>
            )}
            {'before' in c && 'after' in c && (
              <Text span size="sm" aria-hidden>
                →
              </Text>
            )}
            {'after' in c && (
              <Text component="ins" size="sm" fw={600} td="none">
                <VisuallyHidden>after: </VisuallyHidden>
                {shown(c.after)}
              </Text>
            )}
            {!('before' in c) && (
              <Text span size="xs" c="dimmed">
                (added)
              </Text>
            )}
            {!('after' in c) && (
              <Text span size="xs" c="dimmed">
                (removed)
              </Text>
            )}
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
