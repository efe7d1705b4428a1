// The web app talks to the server only through the public API, like any
// integrator: JSON in and out, problem+json errors, the session cookie set by
// POST /api/auth/login and the CSRF token it returns sent on every write.

export type Role =
  | 'admin'
  | 'supervisor'
  | 'planner'
  | 'quality'
  | 'operator'
  | 'client_viewer'
  | 'integration';

export type Session = {
  kind: 'user' | 'api_key';
  id: string;
  name: string;
  role: Role;
  allOrganizations: boolean;
  organizationIds: string[];
  bankDataAccess: boolean;
  csrfToken?: string;
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: { title?: string; detail?: string; errors?: { field: string; message: string }[] };
  constructor(status: number, problem: ApiError['problem']) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined) {
  csrfToken = token;
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  init?: { signal?: AbortSignal },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(init?.signal ? { signal: init.signal } : {}),
  });
  if (response.status === 204) return undefined as T;
  return readPayload<T>(response);
}

/**
 * The JSON body of a response. A problem without a JSON body still becomes an
 * ApiError; a success whose body cannot be read (the request aborted while the
 * body streamed in, a cut connection) throws, rather than passing `{}` off as
 * the resource: a caller would otherwise render an empty object as data. An
 * empty success body is `undefined`, as a 204 is.
 */
async function readPayload<T>(response: Response): Promise<T> {
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => ({})));
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Sends a file as the request body (imports: CSV or XLSX, not multipart), with the CSRF token. */
export async function upload<T>(path: string, file: Blob, contentType: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file });
  return readPayload<T>(response);
}
