import type { ZodError, ZodTypeAny, z } from 'zod';
import { ApiError } from './errors';

function describe(error: ZodError): ApiError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const field = [...issue.path, key].join('.');
    return new ApiError(400, 'unknown_field', `unknown field "${field}"`, field);
  }
  const field = issue.path.join('.') || undefined;
  return new ApiError(400, 'validation_failed', field ? `${field}: ${issue.message}` : issue.message, field);
}

// PostgreSQL stores neither U+0000 (text, jsonb) nor a lone surrogate (jsonb): refused here, not by a 500 there.
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point: it is the character to refuse.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The path of the first string or key holding an unstorable character; iterative, as a body may nest deeply. */
function unstorableField(input: unknown): string | undefined {
  type Node = { value: unknown; key?: string; parent?: Node };
  const pathOf = (node: Node | undefined, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let n = node; n?.key !== undefined; n = n.parent) keys.push(n.key);
    return keys.reverse().join('.');
  };
  const stack: Node[] = [{ value: input }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (UNSTORABLE.test(node.value)) return pathOf(node);
    } else if (typeof node.value === 'object' && node.value !== null) {
      for (const [key, value] of Object.entries(node.value)) {
        if (UNSTORABLE.test(key)) return pathOf(node, key);
        stack.push({ value, key, parent: node });
      }
    }
  }
  return undefined;
}

/** Parses input with its zod schema or throws a 400 naming the first offending field. */
export function parse<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const unstorable = unstorableField(input);
  if (unstorable !== undefined) {
    const message = "holds a character that can't be stored (U+0000 or a lone surrogate)";
    throw new ApiError(400, 'validation_failed', unstorable ? `${unstorable}: ${message}` : message, unstorable || undefined);
  }
  const result = schema.safeParse(input);
  if (!result.success) throw describe(result.error);
  return result.data;
}
