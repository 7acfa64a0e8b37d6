import { compileRules, type CompiledRules } from './evaluate';

const MAX_CAMPAIGNS = 1000;

/**
 * Compiled rule sets by campaign id and version (its updated_at): an edit gives a new version, so a stale engine
 * is never used, and building json-rules-engine's engine (the costly part) happens once per version, not per event.
 */
export class RuleCache<R extends { name: string; conditions?: unknown }> {
  private readonly entries = new Map<string, { version: string; compiled: CompiledRules<R> }>();

  get(campaignId: string, version: string, rules: R[]): CompiledRules<R> {
    const hit = this.entries.get(campaignId);
    if (hit && hit.version === version) return hit.compiled;
    if (!hit && this.entries.size >= MAX_CAMPAIGNS) this.entries.delete(this.entries.keys().next().value!);
    const compiled = compileRules(rules);
    this.entries.set(campaignId, { version, compiled });
    return compiled;
  }
}
