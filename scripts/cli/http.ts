/** A failure the CLI reports as one line on stderr before exiting with status 1. */
export class CliError extends Error {}

export interface ApiErrorBody {
  error?: { code?: string; message?: string; field?: string };
}

/** An error answer from the API; `status` lets callers react to a 404 without parsing messages. */
export class ApiResponseError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  duplex?: 'half';
  query?: Record<string, string | undefined>;
}

export class ApiClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly key: string,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  /** Sends a request and returns the response if it succeeded; any error answer becomes an ApiResponseError. */
  async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = new URL(`${this.base}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    let res: Response;
    try {
      res = await fetch(url, {
        method: options.method ?? 'GET',
        headers: { Authorization: `Bearer ${this.key}`, Accept: 'application/json', ...options.headers },
        body: options.body,
        // Node's fetch refuses a streamed body without this (the request body is sent before the answer is read).
        ...(options.duplex ? { duplex: options.duplex } : {}),
      } as RequestInit);
    } catch (error) {
      const reason = describeNetworkError(error);
      // fetch refuses some ports outright (1, 6000, …): say so, or the operator hunts for a server that is not the problem.
      if (reason === 'bad port') throw new CliError(`cannot reach the API at ${this.base}: fetch refuses to connect to port ${url.port}`);
      throw new CliError(`cannot reach the API at ${this.base} (${reason}); is it running? Set --url or LOYALTY_API_URL`);
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }

  async json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.send(path, options);
    try {
      return (await res.json()) as T;
    } catch {
      throw new CliError(`the API answered ${path} with something that is not JSON`);
    }
  }
}

async function toApiError(res: Response): Promise<ApiResponseError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as ApiErrorBody;
    if (error?.code) return new ApiResponseError(res.status, error.code, `${error.message ?? ''}${error.field ? ` (${error.field})` : ''}`);
  } catch {
    // Not the API's error shape (a proxy page, say): fall through to the HTTP status.
  }
  return new ApiResponseError(res.status, `http_${res.status}`, res.statusText || 'unexpected answer from the API');
}

/** fetch only says "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) hides in the cause chain. */
function describeNetworkError(error: unknown): string {
  let current = error as { message?: string; code?: string; cause?: unknown } | undefined;
  let detail = current?.message ?? String(error);
  for (let depth = 0; current && depth < 5; depth++, current = current.cause as typeof current) {
    if (current.code) return current.code;
    if (current.message) detail = current.message;
  }
  return detail;
}
