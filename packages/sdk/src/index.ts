import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** An RFC 9457 error body, as every EHRMS failure is sent (`application/problem+json`). */
export type ProblemDetails = components['schemas']['Problem'];
export type FieldError = components['schemas']['FieldError'];
/** HL7 PurposeOfUse codes the API accepts in `X-Purpose-Of-Use`. */
export type PurposeOfUse = components['parameters']['PurposeOfUse'];
export type EhrmsClient = Client<paths>;

export interface EhrmsClientOptions {
  /** The API origin, e.g. `https://ehrms.example.gov` or `window.location.origin`. */
  baseUrl: string;
  /** The current access token, or null when signed out; asked before every request. */
  getAccessToken: () => string | null | undefined | Promise<string | null | undefined>;
  /**
   * Called when a request that carried a token is answered 401 (expired or revoked): refresh or
   * sign out here. Receives a copy of the response; the caller still gets the problem as `error`.
   */
  onUnauthorized?: (response: Response) => void | Promise<void>;
  /** Sent as `X-Purpose-Of-Use` and recorded in the audit trail; the server assumes TREAT without it. */
  purposeOfUse?: PurposeOfUse | (() => PurposeOfUse | undefined);
  /** Replaces the global fetch (tests, server-side rendering). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A typed client for the EHRMS API: `client.GET('/api/v1/identity/me')` returns `{ data, error,
 * response }` with both typed from the OpenAPI document. Runs on the global fetch, so it works in
 * browsers and in Node 20.
 */
export function createEhrmsClient(options: EhrmsClientOptions): EhrmsClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(sessionMiddleware(options));
  return client;
}

/** True for an RFC 9457 problem body, e.g. the `error` of a failed call. */
export function isProblem(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.title === 'string' && typeof v.status === 'number';
}

function sessionMiddleware(options: EhrmsClientOptions): Middleware {
  return {
    async onRequest({ request }) {
      const token = await options.getAccessToken();
      if (token && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${token}`);
      }
      const purpose =
        typeof options.purposeOfUse === 'function' ? options.purposeOfUse() : options.purposeOfUse;
      if (purpose && !request.headers.has('x-purpose-of-use'))
        request.headers.set('x-purpose-of-use', purpose);
      return request;
    },
    async onResponse({ request, response }) {
      // A failed sign-in is also a 401, but it carried no token: that is not a lost session.
      if (response.status === 401 && request.headers.has('authorization') && options.onUnauthorized) {
        await options.onUnauthorized(response.clone());
      }
      return undefined;
    },
  };
}
