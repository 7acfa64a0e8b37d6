import baseline from '../fixtures/openapi-baseline.json';
import { describeRoutes } from '../../api/app';
import { buildOpenApiDocument } from '../../api/openapi';

/**
 * The OpenAPI document is the clients' contract: refactoring must not change its paths, methods, parameters,
 * request and response fields (name, type, format, required, nullable, enum values) or error statuses. Wording
 * (descriptions, examples) may change freely. When a change to the contract is intended, regenerate the baseline
 * with `npm run openapi:baseline` and commit it with the change.
 */
const REGENERATE = 'if the change is intended, regenerate the baseline with `npm run openapi:baseline` and commit it';

type Schema = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };

function resolve(doc: Doc, schema: Schema): Schema {
  const ref = schema.$ref as string | undefined;
  return ref ? resolve(doc, doc.components!.schemas![ref.replace('#/components/schemas/', '')]) : schema;
}

/** One line per field: `where.path: type format nullable enum(...)`, recursing into objects, arrays and unions. */
function fields(doc: Doc, where: string, schema: Schema | undefined, out: string[], seen = new Set<Schema>()): string[] {
  if (!schema) return out;
  const s = resolve(doc, schema);
  if (seen.has(s)) return out;
  const inner = new Set(seen).add(s);
  const traits = [
    s.type ?? (s.properties ? 'object' : ''),
    s.format ? `format=${s.format}` : '',
    s.nullable ? 'nullable' : '',
    s.enum ? `enum(${(s.enum as unknown[]).map(String).join(',')})` : '',
    s.additionalProperties === false ? 'closed' : '',
  ].filter(Boolean);
  out.push(`${where}: ${traits.join(' ')}`.trimEnd());
  const required = new Set((s.required as string[] | undefined) ?? []);
  for (const [name, prop] of Object.entries((s.properties as Record<string, Schema> | undefined) ?? {})) {
    fields(doc, `${where}.${name}${required.has(name) ? '' : '?'}`, prop, out, inner);
  }
  if (s.items) fields(doc, `${where}[]`, s.items as Schema, out, inner);
  if (s.additionalProperties && typeof s.additionalProperties === 'object')
    fields(doc, `${where}{}`, s.additionalProperties as Schema, out, inner);
  for (const union of ['oneOf', 'anyOf', 'allOf'] as const) {
    ((s[union] as Schema[] | undefined) ?? []).forEach((option, i) => fields(doc, `${where}|${union}${i}`, option, out, inner));
  }
  return out;
}

function contentFields(doc: Doc, where: string, content: Record<string, { schema?: Schema }> | undefined): string[] {
  return Object.entries(content ?? {}).flatMap(([type, media]) => fields(doc, `${where} ${type}`, media.schema, []));
}

/** The contract of every operation, as sorted lines so a failure shows exactly what changed. */
function contract(doc: Doc): Record<string, string[]> {
  const operations: Record<string, string[]> = {};
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = ((op.parameters as Schema[] | undefined) ?? []).flatMap((p) =>
        fields(doc, `param ${p.in} ${p.name}${p.required ? '' : '?'}`, p.schema as Schema, []),
      );
      const body = op.requestBody as { required?: boolean; content?: Record<string, { schema?: Schema }> } | undefined;
      const request = body ? contentFields(doc, `request${body.required ? '' : '?'}`, body.content) : [];
      const responses = Object.entries((op.responses as Record<string, Schema>) ?? {}).flatMap(([status, response]) => [
        `response ${status}`,
        ...contentFields(doc, `response ${status}`, response.content as Record<string, { schema?: Schema }>),
      ]);
      operations[`${method.toUpperCase()} ${path}`] = [...params, ...request, ...responses].sort();
    }
  }
  return operations;
}

const current = buildOpenApiDocument(describeRoutes) as unknown as Doc;
const recorded = baseline as unknown as Doc;

it('serves the same operations (paths and methods) as the baseline', () => {
  const ops = (doc: Doc) => Object.keys(contract(doc)).sort();
  const missing = ops(recorded).filter((o) => !ops(current).includes(o));
  const added = ops(current).filter((o) => !ops(recorded).includes(o));
  if (missing.length || added.length) {
    throw new Error(`operations changed: missing ${JSON.stringify(missing)}, added ${JSON.stringify(added)}; ${REGENERATE}`);
  }
});

it("keeps every operation's parameters, request and response fields and error statuses", () => {
  const now = contract(current);
  const then = contract(recorded);
  const changes = Object.keys(then)
    .filter((op) => op in now)
    .flatMap((op) => [
      ...then[op].filter((line) => !now[op].includes(line)).map((line) => `${op}: removed ${line}`),
      ...now[op].filter((line) => !then[op].includes(line)).map((line) => `${op}: added ${line}`),
    ]);
  if (changes.length) throw new Error(`the OpenAPI contract changed (${REGENERATE}):\n${changes.join('\n')}`);
});

it('keeps the named component schemas clients may generate types from', () => {
  const names = (doc: Doc) => Object.keys(doc.components?.schemas ?? {}).sort();
  const missing = names(recorded).filter((n) => !names(current).includes(n));
  if (missing.length) throw new Error(`component schemas removed: ${missing.join(', ')}; ${REGENERATE}`);
  const changed = names(recorded)
    .filter((n) => names(current).includes(n))
    .filter(
      (n) =>
        fields(current, n, current.components!.schemas![n], []).join('\n') !==
        fields(recorded, n, recorded.components!.schemas![n], []).join('\n'),
    );
  if (changed.length) throw new Error(`component schemas changed: ${changed.join(', ')}; ${REGENERATE}`);
});
