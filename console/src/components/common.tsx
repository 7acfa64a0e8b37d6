import type { ReactNode } from 'react';
import { Alert, Badge, Card, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { ApiProblem } from '../api/client';

export const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '–' : n.toLocaleString('en-US'));
/** An instant as a marketer reads it, in a campaign's time zone (named after it): "29 Mar 2026, 00:00 Europe/Paris". */
export const fmtDate = (iso: string | null | undefined, timeZone = 'UTC') =>
  iso ? `${new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone })} ${timeZone}` : '–';

const STATUS_COLORS: Record<string, string> = {
  active: 'green',
  running: 'blue',
  pending: 'gray',
  completed: 'teal',
  scheduled: 'cyan',
  draft: 'gray',
  paused: 'yellow',
  ended: 'dark',
  failed: 'red',
  cancelled: 'red',
  unused: 'gray',
  redeemed: 'green',
  reserved: 'cyan',
  awarded: 'grape',
  fulfilled: 'teal',
  expired: 'orange',
  delivered: 'green',
  retrying: 'orange',
};

/** Any status string the API returns, coloured when known (statuses evolve: unknown ones still show). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLORS[status] ?? 'gray'} variant="light">
      {status}
    </Badge>
  );
}

export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="lg" wrap="wrap" gap="sm">
      <div>
        <Title order={2}>{title}</Title>
        {subtitle && (
          <Text c="dimmed" size="sm" mt={4}>
            {subtitle}
          </Text>
        )}
      </div>
      {actions && <Group gap="sm">{actions}</Group>}
    </Group>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as ApiProblem;
  return (
    <Alert color="red" title={e.code ? `Refused: ${e.code}` : 'Something went wrong'} role="alert">
      {e.message}
    </Alert>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Paper withBorder p="xl" radius="md" bg="white">
      <Stack align="center" gap={6}>
        <Text fw={600}>{title}</Text>
        {children && (
          <Text c="dimmed" size="sm" ta="center" maw={460}>
            {children}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

export function StatCard({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Card withBorder padding="md" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700} className="stat-value" mt={4}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed" mt={2}>
          {hint}
        </Text>
      )}
    </Card>
  );
}

/** One of a few named options as a segmented control, typed by its option keys (no cast at the call site). */
export function Choice<T extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  /** Option value to its label, in display order. */
  options: Record<T, string>;
}) {
  return (
    <SegmentedControl
      value={value}
      onChange={(v) => onChange(v as T)}
      aria-label={label}
      data={(Object.entries(options) as Array<[T, string]>).map(([v, l]) => ({ value: v, label: l }))}
    />
  );
}
