import { Button, Group, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Textarea } from '@mantine/core';
import { FREQUENCY_CHOICES, slug, type Draft } from './draft';
import type { StepProps } from './EventAndCodes';
import { REQUESTED_CAMPAIGN_STATUSES, type RequestedCampaignStatus } from '../../api/enums';

// Every zone the browser knows (Intl); the wizard starts on the browser's own (initialDraft).
const TIME_ZONES = [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone')])];

export function DetailsStep({ draft, set, errors }: StepProps) {
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Name" value={draft.name} onChange={(e) => set({ name: e.currentTarget.value })} error={errors.name} required />
        <TextInput
          label="Campaign id"
          description="Used in URLs and the API; from the name unless you type one"
          placeholder={slug(draft.name) || 'summer-2026'}
          value={draft.id}
          onChange={(e) => set({ id: e.currentTarget.value })}
          error={errors.id}
        />
      </SimpleGrid>
      <Textarea
        label="Description"
        autosize
        minRows={2}
        value={draft.description}
        onChange={(e) => set({ description: e.currentTarget.value })}
        error={errors.description}
      />
      <Select
        label="Time zone"
        description="Where the campaign's days turn: per-day limits and daily stats follow it, and the dates below are read in it"
        searchable
        allowDeselect={false}
        value={draft.timeZone}
        onChange={(v) => v && set({ timeZone: v })}
        data={TIME_ZONES}
        error={errors.timeZone}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          type="datetime-local"
          label="Starts"
          description="Empty: at once"
          value={draft.startsAt}
          onChange={(e) => set({ startsAt: e.currentTarget.value })}
          error={errors.startsAt}
        />
        <TextInput
          type="datetime-local"
          label="Ends"
          description="Empty: never"
          value={draft.endsAt}
          onChange={(e) => set({ endsAt: e.currentTarget.value })}
          error={errors.endsAt}
        />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberInput
          label="Display order"
          min={0}
          value={draft.displayOrder}
          onChange={(v) => set({ displayOrder: Number(v) || 0 })}
          error={errors.displayOrder}
        />
        <Select
          label="Status"
          value={draft.status}
          allowDeselect={false}
          data={REQUESTED_CAMPAIGN_STATUSES}
          onChange={(v) => set({ status: (v as RequestedCampaignStatus | null) ?? 'draft' })}
          error={errors.status}
          description="Only active campaigns redeem codes"
        />
        <Select
          label="Visible to"
          value={draft.visibility}
          allowDeselect={false}
          onChange={(v) => set({ visibility: v as Draft['visibility'] })}
          error={errors.visibility}
          data={[
            { value: 'everyone', label: 'Everyone' },
            { value: 'segments', label: 'Some segments' },
            { value: 'tiers', label: 'Some tiers' },
          ]}
        />
      </SimpleGrid>
      {draft.visibility !== 'everyone' && (
        <TextInput
          label={draft.visibility === 'segments' ? 'Segments' : 'Tiers'}
          description="Comma separated"
          value={draft.visibleTo}
          onChange={(e) => set({ visibleTo: e.currentTarget.value })}
          error={errors.visibility}
        />
      )}
      <div>
        <Group justify="space-between" mb={6}>
          <Text size="sm" fw={500}>
            Translations
          </Text>
          <Button
            variant="light"
            size="xs"
            onClick={() => set({ translations: [...draft.translations, { lang: '', name: '', description: '' }] })}
          >
            Add a language
          </Button>
        </Group>
        {draft.translations.length === 0 && (
          <Text size="xs" c="dimmed">
            Name and description in other languages, shown to members who use them.
          </Text>
        )}
        {draft.translations.map((t, i) => {
          const update = (changes: Partial<typeof t>) =>
            set({ translations: draft.translations.map((x, j) => (j === i ? { ...x, ...changes } : x)) });
          return (
            <SimpleGrid key={i} cols={{ base: 1, sm: 4 }} mb="xs">
              <TextInput
                label="Language"
                placeholder="fr"
                value={t.lang}
                onChange={(e) => update({ lang: e.currentTarget.value })}
                error={errors.translations}
              />
              <TextInput label="Name" value={t.name} onChange={(e) => update({ name: e.currentTarget.value })} />
              <TextInput label="Description" value={t.description} onChange={(e) => update({ description: e.currentTarget.value })} />
              <Button
                variant="subtle"
                color="red"
                mt={24}
                onClick={() => set({ translations: draft.translations.filter((_x, j) => j !== i) })}
              >
                Remove
              </Button>
            </SimpleGrid>
          );
        })}
      </div>
    </Stack>
  );
}

export function LimitsStep({ draft, set, errors }: StepProps) {
  return (
    <Stack>
      <Switch
        label="Limit redemptions per member"
        checked={draft.frequencyOn}
        onChange={(e) => set({ frequencyOn: e.currentTarget.checked })}
      />
      {draft.frequencyOn && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label="At most"
            min={1}
            value={draft.frequencyCount}
            onChange={(v) => set({ frequencyCount: Number(v) || 1 })}
            error={errors.frequency}
          />
          <Select
            label="Per"
            value={draft.frequencyPeriod}
            allowDeselect={false}
            onChange={(v) => v && set({ frequencyPeriod: v })}
            data={FREQUENCY_CHOICES}
          />
        </SimpleGrid>
      )}
      <Switch label="Cap the campaign's budget" checked={draft.budgetOn} onChange={(e) => set({ budgetOn: e.currentTarget.checked })} />
      {draft.budgetOn && (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Budget in"
            value={draft.budgetKind}
            allowDeselect={false}
            onChange={(v) => set({ budgetKind: v as Draft['budgetKind'] })}
            data={[
              { value: 'points', label: 'Points issued' },
              { value: 'redemptions', label: 'Redemptions' },
            ]}
          />
          <NumberInput
            label="Cap"
            min={1}
            thousandSeparator=","
            value={draft.budgetCap}
            onChange={(v) => set({ budgetCap: Number(v) || 1 })}
            error={errors.budget}
          />
        </SimpleGrid>
      )}
      <Text size="sm" c="dimmed">
        When the budget is used up, further codes are refused with budget_exhausted.
      </Text>
    </Stack>
  );
}
