/**
 * The portal's one way of talking to the API (docs/conventions.md §8: the portal never imports API code; it
 * is a client of the public HTTP surface like any council's own tool). Typed per call site by the reporter
 * and staff clients built on it; every API error arrives as an ApiProblem carrying the API's own
 * messages, which forms show in a GOV.UK error summary.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ErrorBody } from '@nolan/contract';
import { PORTAL_CONFIG, type PortalConfig } from '../app/portal-config';

/** What the API said went wrong: its status and its messages (one per invalid field where it gives several). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly messages: readonly string[],
    /** Seconds to wait, when the API throttled the call. */
    readonly retryAfterSeconds?: number,
  ) {
    super(messages.join('; '));
    this.name = 'ApiProblem';
  }
}

/** The API could not be reached or answered with something that is not JSON. */
export class ApiUnavailable extends Error {
  constructor(cause: unknown) {
    super('The service is not available at the moment.', { cause });
    this.name = 'ApiUnavailable';
  }
}

export interface ApiCall {
  /** A bearer token: a staff session or a reporter session. */
  readonly token?: string;
  /** A JSON body. */
  readonly json?: unknown;
  /** A multipart body (files): sent as is. */
  readonly form?: FormData;
  readonly query?: Record<string, string | number | boolean | undefined>;
}

export interface ApiBinary {
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentDisposition: string | null;
}

@Injectable()
export class ApiHttp {
  private readonly base: string;

  constructor(@Inject(PORTAL_CONFIG) config: Pick<PortalConfig, 'apiUrl'>) {
    this.base = `${config.apiUrl.replace(/\/$/, '')}/api/v1`;
  }

  get<T>(path: string, call: ApiCall = {}): Promise<T> {
    return this.json<T>('GET', path, call);
  }

  post<T>(path: string, call: ApiCall = {}): Promise<T> {
    return this.json<T>('POST', path, call);
  }

  put<T>(path: string, call: ApiCall = {}): Promise<T> {
    return this.json<T>('PUT', path, call);
  }

  patch<T>(path: string, call: ApiCall = {}): Promise<T> {
    return this.json<T>('PATCH', path, call);
  }

  delete<T>(path: string, call: ApiCall = {}): Promise<T> {
    return this.json<T>('DELETE', path, call);
  }

  /** A call whose answer is a file (a download, an export), passed through untouched. */
  async binary(method: 'GET' | 'POST', path: string, call: ApiCall = {}): Promise<ApiBinary> {
    const response = await this.send(method, path, call);
    if (!response.ok) throw await problemFrom(response);
    return {
      body: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      contentDisposition: response.headers.get('content-disposition'),
    };
  }

  private async json<T>(method: string, path: string, call: ApiCall): Promise<T> {
    const response = await this.send(method, path, call);
    if (!response.ok) throw await problemFrom(response);
    if (response.status === 204) return undefined as T;
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new ApiUnavailable(error);
    }
  }

  private async send(method: string, path: string, call: ApiCall): Promise<Response> {
    const url = new URL(`${this.base}${path}`);
    for (const [name, value] of Object.entries(call.query ?? {}))
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let body: string | FormData | undefined;
    if (call.form) body = call.form;
    else if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    }
    try {
      return await fetch(url, { method, headers, body, redirect: 'error' });
    } catch (error) {
      throw new ApiUnavailable(error);
    }
  }
}

async function problemFrom(response: Response): Promise<ApiProblem> {
  let messages: string[] = [];
  try {
    // The API's error body (ErrorBody), read defensively: a proxy in between may answer something else.
    const body = (await response.json()) as Partial<Record<keyof ErrorBody, unknown>>;
    if (Array.isArray(body.message)) messages = body.message.map(String);
    else if (typeof body.message === 'string') messages = [body.message];
  } catch {
    // Not JSON: fall through to a generic message.
  }
  if (!messages.length) messages = [`The service answered ${response.status}.`];
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiProblem(
    response.status,
    messages,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}
