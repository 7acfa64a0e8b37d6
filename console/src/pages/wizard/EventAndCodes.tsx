import { useEffect } from 'react';
import { Alert, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../../api/client';
import { codeSpec, type Draft } from './draft';
import { KeyspacePanel } from './KeyspacePanel';

export interface StepProps {
  draft: Draft;
  set: (changes: Partial<Draft>) => void;
  errors: Record<string, string>;
}

export function EventStep({ draft, set, errors }: StepProps) {
  const schemas = useQuery({ queryKey: ['event-schemas'], queryFn: () => ok(api.GET('/v1/event-schemas')) });
  const list = schemas.data?.eventSchemas ?? [];
  const chosen = list.find((s) => s.name === draft.eventName);
  const textAttributes = chosen?.attributes.filter((a) => a.type === 'text').map((a) => a.name) ?? [];
  useEffect(() => {
    if (schemas.isSuccess && list.length === 0 && draft.schemaMode === 'existing') set({ schemaMode: 'new' });
  }, [schemas.isSuccess]);
  return (
    <Stack>
      <Text c="dimmed" size="sm">
        The campaign listens for one custom event; one of its text attributes carries the code a member entered.
      </Text>
      <SegmentedControl
        value={draft.schemaMode}
        onChange={(v) => set({ schemaMode: v as Draft['schemaMode'], eventName: '', codeAttribute: 'code' })}
        data={[
          { value: 'existing', label: 'Use an event schema' },
          { value: 'new', label: 'Create a new one' },
        ]}
        aria-label="Event schema"
      />
      {draft.schemaMode === 'existing' ? (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Event"
            placeholder={list.length ? 'Pick an event schema' : 'No event schemas yet'}
            data={list.map((s) => ({ value: s.name, label: `${s.name} (${s.attributes.length} attributes)` }))}
            value={draft.eventName || null}
            onChange={(v) => {
              const first = list.find((s) => s.name === v)?.attributes.find((a) => a.type === 'text')?.name;
              set({ eventName: v ?? '', codeAttribute: first ?? '' });
            }}
            error={errors['trigger.event'] ?? errors.trigger}
            required
            searchable
          />
          <Select
            label="Code attribute"
            description="A text attribute of the event"
            data={textAttributes}
            value={draft.codeAttribute || null}
            onChange={(v) => set({ codeAttribute: v ?? '' })}
            error={
              errors['trigger.codeAttribute'] ??
              (chosen && textAttributes.length === 0 ? 'This schema has no text attribute to hold a code' : undefined)
            }
            required
            disabled={!chosen}
          />
        </SimpleGrid>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label="Event name"
            description="Lower case, e.g. code_entered"
            value={draft.eventName}
            onChange={(e) => set({ eventName: e.currentTarget.value })}
            error={errors['trigger.event'] ?? errors['schema.name']}
            required
          />
          <TextInput
            label="Code attribute"
            description="Text attribute that holds the code"
            value={draft.codeAttribute}
            onChange={(e) => set({ codeAttribute: e.currentTarget.value })}
            error={errors['trigger.codeAttribute'] ?? errors['schema.attributes']}
            required
          />
          <TextInput
            label="Other attributes (optional)"
            description="name:type, comma separated (text, number, boolean, date)"
            placeholder="store:text, amount:number"
            value={draft.newAttributes}
            onChange={(e) => set({ newAttributes: e.currentTarget.value })}
          />
        </SimpleGrid>
      )}
      {schemas.error && <Alert color="red">{(schemas.error as Error).message}</Alert>}
    </Stack>
  );
}

export function CodesStep({ draft, set, errors }: StepProps) {
  return (
    <Stack>
      <Switch
        label="Generate codes now"
        description="You can also import codes or generate more later, from the campaign page."
        checked={draft.generate}
        onChange={(e) => set({ generate: e.currentTarget.checked })}
      />
      {draft.generate && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label="Quantity"
              value={draft.quantity}
              min={1}
              thousandSeparator=","
              onChange={(v) => set({ quantity: Number(v) || 0 })}
              error={errors.quantity}
              required
            />
            <NumberInput
              label="Length"
              description="Random characters"
              value={draft.length}
              min={1}
              max={64}
              onChange={(v) => set({ length: Number(v) || 0 })}
              error={errors.length}
              required
            />
            <TextInput
              label="Prefix"
              placeholder="e.g. SUMMER-"
              value={draft.prefix}
              onChange={(e) => set({ prefix: e.currentTarget.value })}
              error={errors.prefix}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label="Characters"
              value={draft.charset}
              allowDeselect={false}
              onChange={(v) => set({ charset: v as Draft['charset'] })}
              error={errors.charset}
              data={[
                { value: 'alphanumeric', label: 'Letters and digits' },
                { value: 'alpha', label: 'Letters' },
                { value: 'numeric', label: 'Digits' },
                { value: 'custom', label: 'Custom alphabet' },
              ]}
            />
            {draft.charset === 'custom' && (
              <TextInput
                label="Alphabet"
                value={draft.alphabet}
                onChange={(e) => set({ alphabet: e.currentTarget.value.toUpperCase() })}
                error={errors.alphabet}
                required
              />
            )}
            <Select
              label="Check character"
              value={draft.checkCharacter}
              allowDeselect={false}
              onChange={(v) => set({ checkCharacter: v as Draft['checkCharacter'] })}
              error={errors.checkCharacter}
              data={[
                { value: 'none', label: 'None' },
                { value: 'luhn', label: 'Luhn mod N' },
                { value: 'damm', label: 'Damm (digits)' },
              ]}
            />
          </SimpleGrid>
          <Switch
            label="Leave out look-alikes (0, O, 1, I, L)"
            checked={draft.excludeLookAlikes}
            onChange={(e) => set({ excludeLookAlikes: e.currentTarget.checked })}
          />
          <KeyspacePanel spec={codeSpec(draft)} />
        </>
      )}
    </Stack>
  );
}
