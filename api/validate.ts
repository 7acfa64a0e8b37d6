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

/** Parses input with its zod schema or throws a 400 naming the first offending field. */
export function parse<S extends ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw describe(result.error);
  return result.data;
}
