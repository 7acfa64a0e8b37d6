import type { Page } from 'playwright-core';
import { startConsoleHarness, type ConsoleHarness } from '../support/browser';
import { createCampaign, createCodeEventSchema } from '../support/campaign-setup';
import { eventually } from '../support/test-system';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * A marketer manages webhooks through the console in a real Chromium, against the real API, PostgreSQL and
 * Temporal, with a local receiver (plain http on loopback is allowed for the test only). Also the campaign
 * header's lifecycle line. Screenshots land in test-artifacts/console/.
 */
let h: ConsoleHarness;
let receiver: WebhookReceiver;

beforeAll(async () => {
  h = await startConsoleHarness({
    env: { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', OUTBOX_RELAY_INTERVAL_MS: '50' },
  });
  receiver = await new WebhookReceiver().start();
  await createCodeEventSchema(h.system);
});
afterAll(async () => {
  await receiver?.stop();
  await h?.stop();
});

const row = (p: Page, text: string) => p.getByRole('table', { name: 'Webhooks' }).getByRole('row').filter({ hasText: text });

test('an operator has no Webhooks page', async () => {
  const p = await h.open('operator');
  await p.getByRole('navigation', { name: 'Main' }).getByText('Campaigns').waitFor();
  expect(await p.getByRole('navigation', { name: 'Main' }).getByText('Webhooks').count()).toBe(0);
  await p.close();
});

test('a marketer creates a webhook (secret shown once), pauses and resumes it, and sees a delivery after an event', async () => {
  const p = await h.open('marketer');
  await p.getByRole('navigation', { name: 'Main' }).getByText('Webhooks').click();
  await p.getByText('No webhooks yet').waitFor();
  await p.getByRole('button', { name: 'New webhook' }).click();
  await p.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
  await p.getByRole('combobox', { name: 'Events' }).click();
  await p.getByRole('option', { name: 'campaign.started', exact: true }).click();
  await p.keyboard.press('Escape');
  await p.getByRole('textbox', { name: 'Description' }).fill('CRM sync');
  await p.getByRole('button', { name: 'Create webhook' }).click();

  await p.getByText("It won't be shown again").waitFor();
  const secret = (await p.getByTestId('webhook-secret').textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  await p.getByRole('button', { name: 'Copy secret' }).waitFor();
  await h.screen(p, '40-webhook-secret-once');
  await p.getByRole('button', { name: 'Done' }).click();

  // Listed without its secret; paused, then resumed, through PATCH.
  await row(p, receiver.url).getByText('CRM sync').waitFor();
  expect(await p.getByText(secret).count()).toBe(0);
  await row(p, receiver.url).getByRole('button', { name: 'Pause' }).click();
  await row(p, receiver.url).getByText('paused', { exact: true }).waitFor();
  await h.screen(p, '41-webhooks-paused');
  const listed = (await h.system.api.get('/v1/webhooks').set(h.system.as('marketer'))).body.webhooks;
  expect(listed).toMatchObject([{ url: receiver.url, status: 'paused', events: ['campaign.started'] }]);
  await row(p, receiver.url).getByRole('button', { name: 'Resume' }).click();
  await row(p, receiver.url).getByText('active', { exact: true }).waitFor();

  // An event it subscribes to: the receiver gets it, signed with the secret the console showed.
  await createCampaign(h.system, 'hooked', { endsAt: '2099-12-01T00:00:00.000Z' });
  await eventually(async () => receiver.received.length > 0, 20_000);
  expect(WebhookReceiver.verify(secret, receiver.received[0])).toMatchObject({ type: 'campaign.started' });

  await row(p, receiver.url).getByRole('button', { name: 'Deliveries' }).click();
  const log = p.getByRole('table', { name: 'Deliveries' });
  await log.getByRole('row').filter({ hasText: 'campaign.started' }).getByText('delivered').waitFor();
  await log.getByRole('row').filter({ hasText: 'campaign.started' }).getByText('200').waitFor();
  await p.waitForTimeout(400); // the modal's opening transition, for a clean screenshot
  await h.screen(p, '42-webhook-deliveries');
  await log.getByRole('button', { name: 'Redeliver' }).first().click();
  await eventually(async () => receiver.received.length > 1, 20_000);
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[1].id).toBe(receiver.received[0].id);
  await p.keyboard.press('Escape');

  // The campaign header shows the workflow's status and its next timer.
  await p.getByRole('navigation', { name: 'Main' }).getByText('Campaigns').click();
  await p.getByRole('link', { name: 'hooked', exact: true }).click();
  await p.getByTestId('lifecycle').getByText('Active · ends 1 Dec 2099, 00:00 UTC (timer set)').waitFor();
  await h.screen(p, '43-campaign-lifecycle');

  // Deleting asks first, in the library's dialog: focus starts on Keep, so Enter alone deletes nothing.
  await p.getByRole('navigation', { name: 'Main' }).getByText('Webhooks').click();
  await row(p, receiver.url).getByRole('button', { name: 'Delete' }).click();
  const dialog = p.getByRole('dialog', { name: 'Delete this webhook?' });
  await dialog.getByText(`The webhook to ${receiver.url} and its delivery log are deleted`).waitFor();
  await h.screen(p, '44-webhook-delete-dialog');
  expect(await dialog.getByRole('button', { name: 'Keep' }).evaluate((b) => b.matches(':focus'))).toBe(true);
  await p.keyboard.press('Enter');
  await dialog.waitFor({ state: 'hidden' });
  expect((await h.system.api.get('/v1/webhooks').set(h.system.as('marketer'))).body.webhooks).toHaveLength(1);
  await row(p, receiver.url).getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete webhook' }).click();
  await p.getByText('No webhooks yet').waitFor();
  expect((await h.system.api.get('/v1/webhooks').set(h.system.as('marketer'))).body.webhooks).toEqual([]);
  await p.close();
});

test('the delivery log pages: 100 deliveries at first, "Load more" shows the rest, each once', async () => {
  const created = await h.system.api
    .post('/v1/webhooks')
    .set(h.system.as('marketer'))
    .send({ url: `${receiver.url}/paged`, events: ['redemption.succeeded'], description: 'paged log' });
  expect(created.status).toBe(201);
  // 150 delivered deliveries in one statement (one created_at), their messages already dispatched: nothing is sent.
  await h.system.db.query(
    `with message as (
       insert into outbox (id, type, payload, dispatched_at)
       select gen_random_uuid(), 'redemption.succeeded', '{}', now() from generate_series(1, 150) returning id)
     insert into webhook_deliveries (id, message_id, subscription_id, status, attempts, delivered_at)
     select gen_random_uuid(), id, $1, 'delivered', 1, now() from message`,
    [created.body.id],
  );
  const p = await h.open('marketer');
  await p.getByRole('navigation', { name: 'Main' }).getByText('Webhooks').click();
  await row(p, 'paged log').getByRole('button', { name: 'Deliveries' }).click();
  const log = p.getByRole('table', { name: 'Deliveries' });
  await p.getByText('100 deliveries shown').waitFor();
  expect(await log.getByRole('button', { name: 'Redeliver' }).count()).toBe(100);
  await p.getByRole('button', { name: 'Load more' }).click();
  await p.getByText('150 deliveries shown, all of them').waitFor();
  // Each row's first cell names its message: 150 rows, 150 messages, none shown twice.
  const firstCells = await log.locator('tbody tr td:first-child').allTextContents();
  expect(firstCells).toHaveLength(150);
  expect(new Set(firstCells).size).toBe(150);
  expect(await p.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  await h.screen(p, '45-webhook-deliveries-paged');
  await p.close();
});
