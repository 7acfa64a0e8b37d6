import { lazy, Suspense, useState } from 'react';
import { Alert, Button, Code, Group, Loader, Paper, Stepper, Table, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok, ApiProblem } from '../../api/client';
import { useRoute } from '../../router';
import { PageHeader, fmt } from '../../components/common';
import { FREQUENCY_CHOICES, initialDraft, parseRules, slug, stepOfField, STEPS, toRequest, type Draft } from './draft';
import { CodesStep, EventStep } from './EventAndCodes';
import { DetailsStep, LimitsStep } from './DetailsAndLimits';

const RulesEditor = lazy(() => import('../../components/RulesEditor'));

function newSchemaBody(d: Draft) {
  const others = d.newAttributes
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, type] = entry.split(':').map((s) => s.trim());
      return { name, type: (type || 'text') as 'text' };
    });
  return {
    name: d.eventName,
    attributes: [{ name: d.codeAttribute, type: 'text' as const, required: true }, ...others.filter((a) => a.name !== d.codeAttribute)],
  };
}

function Summary({ draft }: { draft: Draft }) {
  const request = toRequest(draft);
  const rows: Array<[string, string]> = [
    ['Event', `${draft.eventName}${draft.schemaMode === 'new' ? ' (new schema)' : ''}, code in "${draft.codeAttribute}"`],
    [
      'Codes',
      draft.generate
        ? `${fmt(draft.quantity)} codes, ${draft.length} ${draft.charset} characters${draft.prefix ? `, prefix ${draft.prefix}` : ''}`
        : 'None generated now',
    ],
    ['Campaign', `${draft.name} (${request.id}), status ${draft.status}`],
    ['Dates', `${draft.startsAt || 'from now'} → ${draft.endsAt || 'no end'} (${draft.timeZone})`],
    ['Rules', `${Array.isArray(request.rules) ? request.rules.length : 0} rule(s)`],
    [
      'Limits',
      draft.frequencyOn
        ? `${draft.frequencyCount} per member per ${FREQUENCY_CHOICES.find((c) => c.value === draft.frequencyPeriod)?.label}`
        : 'None',
    ],
    ['Budget', draft.budgetOn ? `${fmt(draft.budgetCap)} ${draft.budgetKind}` : 'None'],
  ];
  return (
    <Table aria-label="Summary" withRowBorders>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th w={140}>{k}</Table.Th>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export default function CampaignWizard() {
  const [draft, setDraft] = useState<Draft>(initialDraft);
  const [step, setStep] = useState(0);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rulesError, setRulesError] = useState<{ field: string; message: string } | null>(null);
  const [failure, setFailure] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const { navigate } = useRoute();
  const queryClient = useQueryClient();
  const set = (changes: Partial<Draft>) => setDraft((d) => ({ ...d, ...changes }));

  const showError = (e: unknown, fieldPrefix = '') => {
    const problem = e instanceof ApiProblem ? e : new ApiProblem(0, 'network', (e as Error).message);
    setFailure(problem);
    if (!problem.field) return;
    const field = fieldPrefix + problem.field;
    const { step: target, name } = fieldPrefix ? { step: 0, name: field } : stepOfField(field);
    if (name === 'rules') setRulesError({ field, message: problem.message });
    else setErrors({ [target === 0 ? field : name]: problem.message });
    setStep(target);
  };

  const create = async () => {
    setBusy(true);
    setErrors({});
    setRulesError(null);
    setFailure(null);
    const parsed = parseRules(draft.rulesText);
    if (parsed.error) {
      setBusy(false);
      setRulesError({ field: 'rules', message: `not valid JSON: ${parsed.error}` });
      setStep(3);
      return;
    }
    try {
      if (draft.schemaMode === 'new') {
        const existing = await ok(api.GET('/v1/event-schemas'));
        if (!existing.eventSchemas.some((s) => s.name === draft.eventName)) {
          try {
            await ok(api.POST('/v1/event-schemas', { body: { ...newSchemaBody(draft), active: true } as never }));
          } catch (e) {
            return showError(e, 'schema.');
          }
        }
      }
      const campaign = await ok(api.POST('/v1/campaigns', { body: toRequest(draft) }));
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      navigate(`/campaigns/${encodeURIComponent(campaign.id)}`);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };

  const props = { draft, set, errors };
  return (
    <>
      <PageHeader title="New campaign" subtitle="Nothing is created until you confirm the summary; every step can be revisited." />
      <Paper withBorder p="lg" radius="md">
        <Stepper active={step} onStepClick={setStep} allowNextStepsSelect size="sm" wrap>
          <Stepper.Step label={STEPS[0]} description="Trigger">
            <EventStep {...props} />
          </Stepper.Step>
          <Stepper.Step label={STEPS[1]} description="Generation">
            <CodesStep {...props} />
          </Stepper.Step>
          <Stepper.Step label={STEPS[2]} description="Name, dates">
            <DetailsStep {...props} />
          </Stepper.Step>
          <Stepper.Step label={STEPS[3]} description="Conditions, effects">
            <Suspense fallback={<Loader aria-label="Loading the editor" />}>
              <RulesEditor value={draft.rulesText} onChange={(rulesText) => set({ rulesText })} serverError={rulesError} />
            </Suspense>
          </Stepper.Step>
          <Stepper.Step label={STEPS[4]} description="Optional">
            <LimitsStep {...props} />
          </Stepper.Step>
          <Stepper.Step label={STEPS[5]} description="Confirm">
            <Summary draft={draft} />
            <Text size="xs" c="dimmed" mt="sm">
              The request that will be sent:
            </Text>
            {/* Focusable so a keyboard can scroll it (axe scrollable-region-focusable); sized in console.css. */}
            <Code block className="request-preview" tabIndex={0} aria-label="The request that will be sent">
              {JSON.stringify(toRequest(draft), null, 2)}
            </Code>
          </Stepper.Step>
        </Stepper>
        {failure && (
          <Alert color="red" mt="md" title={`Not created: ${failure.code}`} role="alert" data-testid="wizard-error">
            {failure.field && (
              <>
                <Code>{failure.field}</Code>:{' '}
              </>
            )}
            {failure.message}
          </Alert>
        )}
        <Group justify="space-between" mt="xl">
          <Button variant="default" onClick={() => (step === 0 ? navigate('/campaigns') : setStep(step - 1))}>
            {step === 0 ? 'Cancel' : 'Back'}
          </Button>
          {step < STEPS.length - 1 ? (
            <Button
              onClick={() => {
                if (step === 2 && !draft.id) set({ id: slug(draft.name) });
                setStep(step + 1);
              }}
            >
              Next: {STEPS[step + 1]}
            </Button>
          ) : (
            <Button onClick={() => void create()} loading={busy}>
              Create campaign
            </Button>
          )}
        </Group>
      </Paper>
    </>
  );
}
