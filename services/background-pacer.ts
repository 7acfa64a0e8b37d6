/** What a pacer needs from its surroundings (a test passes a fake clock and a recorded sleep). */
export interface PacerDeps {
  /** Whether the answer path had work since the last check (services/answer-path-load.ts). */
  busy(): boolean;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Paces CPU-bound background work (the what-if replay) behind the answer path: the work calls `step()` between
 * small units; after each slice of `sliceMs` of work, if events were being answered meanwhile, it pauses so that it
 * takes at most `share` of a core. When nothing is answered it runs flat out. Why: on two cores a replay at the
 * lowest thread priority still took a core from the API (Linux shares CPU between processes' groups first, not by
 * thread priority), and the events' p99 rose by 77 % (README "Redemption figures"). The defaults (5 % of a core,
 * slices of 1 ms) kept the events' p99 within the bench's noise while a replay ran; at 10 % and 2 ms it rose in
 * some runs.
 */
export class BackgroundPacer {
  private sliceStart: number;

  constructor(
    private readonly deps: PacerDeps,
    private readonly share = 0.05,
    private readonly sliceMs = 1,
  ) {
    this.sliceStart = deps.now();
  }

  /** Undefined (carry on) or a pause to await: most calls cost a clock read. */
  step(): Promise<void> | undefined {
    const worked = this.deps.now() - this.sliceStart;
    if (worked < this.sliceMs) return undefined;
    if (!this.deps.busy()) {
      this.sliceStart = this.deps.now();
      return undefined;
    }
    return this.deps.sleep((worked * (1 - this.share)) / this.share).then(() => {
      this.sliceStart = this.deps.now();
    });
  }
}
