import createClient, { type Middleware } from 'openapi-fetch';
import type { paths, components } from './schema';

export type Schemas = components['schemas'];

const KEY = 'loyalty-console-key';
export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An API refusal: `{ error: { code, message, field? } }`, with the HTTP status. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const key = session.key();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

/** The data of an openapi-fetch answer, or the API's error thrown as an ApiProblem. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const e = (error as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiProblem(response.status, e?.code ?? 'http_' + response.status, e?.message ?? response.statusText, e?.field);
  }
  return data as T;
}

/** Calls outside the typed paths (CSV uploads and downloads, endpoints another branch is adding). */
export async function raw(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = session.key();
  if (key) headers.set('Authorization', `Bearer ${key}`);
  const response = await fetch(path, { ...init, headers });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new ApiProblem(
      response.status,
      body?.error?.code ?? 'http_' + response.status,
      body?.error?.message ?? response.statusText,
      body?.error?.field,
    );
  }
  return response;
}

/** Downloads a CSV export (the key goes in a header, so a plain link can't be used). */
export async function download(path: string, filename: string): Promise<void> {
  const blob = await (await raw(path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
