import { startConsoleHarness, type ConsoleHarness } from './browser';
import { addMembers, createCodeEventSchema } from './campaign-setup';

/** The console harness of the marketer's browser tests: the event a campaign's wizard picks, a gold and a silver member. */
export async function startMarketerConsole(): Promise<ConsoleHarness> {
  const h = await startConsoleHarness();
  try {
    await createCodeEventSchema(h.system);
    await addMembers(h.system, ['gold-1'], { tier: 'gold' });
    await addMembers(h.system, ['silver-1'], { tier: 'silver' });
  } catch (error) {
    await h.stop();
    throw error;
  }
  return h;
}
