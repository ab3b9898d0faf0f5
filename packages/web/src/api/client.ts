import { createEhrmsClient, type EhrmsClient } from '@ehrms/sdk';
import { isProblem, type Problem } from '@ehrms/ui';
import { session } from '../auth/session.js';
import { ApiError, networkProblem } from './errors.js';

/**
 * The one EHRMS API client of the web app (the generated SDK). Its fetch renews the access
 * token once on a 401 and retries the call; `result()` turns an SDK answer into data or a thrown
 * ApiError carrying the problem.
 */
export const api: EhrmsClient = createEhrmsClient({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  getAccessToken: () => session.token(),
  fetch: fetchRenewingToken,
});

/**
 * HL7 purpose of use, sent as `X-Purpose-Of-Use` and written to the audit trail: the
 * administration and provider screens work for agency operations, the audit browser for
 * auditing, the client and case screens for treatment.
 */
export const OPERATIONS = { header: { 'X-Purpose-Of-Use': 'OPERATIONS' } } as const;
export const AUDITING = { header: { 'X-Purpose-Of-Use': 'AUDIT' } } as const;
/** Client, case and note screens serve the client's treatment (the grant of a break-the-glass sets its own). */
export const TREATMENT = { header: { 'X-Purpose-Of-Use': 'TREAT' } } as const;

interface SdkAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call; a failed one throws an ApiError with its problem. */
export async function result<T>(call: Promise<SdkAnswer<T>>): Promise<T> {
  const answer = await settled(call);
  if (answer.error !== undefined || !answer.response.ok) throw toApiError(answer.response, answer.error);
  return answer.data as T;
}

/** Like `result`, for calls that answer 204 No Content. */
export async function done(call: Promise<SdkAnswer<unknown>>): Promise<void> {
  await result(call);
}

/** Like `result`, keeping the response (for headers such as ETag). */
export async function resultWithResponse<T>(
  call: Promise<SdkAnswer<T>>,
): Promise<{ data: T; response: Response }> {
  const answer = await settled(call);
  if (answer.error !== undefined || !answer.response.ok) throw toApiError(answer.response, answer.error);
  return { data: answer.data as T, response: answer.response };
}

async function settled<T>(call: Promise<SdkAnswer<T>>): Promise<SdkAnswer<T>> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, networkProblem);
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const problem: Problem = isProblem(body)
    ? body
    : {
        title: `The request failed (${response.status})`,
        status: response.status,
        detail: response.statusText || undefined,
      };
  return new ApiError(response.status, problem);
}

// A call refused because the access token expired (or was revoked) gets one renewal and one
// retry; all callers share the renewal. A 401 that means something else ("wrong password") or
// a call made without a token is returned as it is.
async function fetchRenewingToken(request: Request): Promise<Response> {
  const retry = request.clone();
  const response = await fetch(request);
  if (response.status !== 401 || !request.headers.has('authorization') || !(await isExpiredToken(response))) {
    return response;
  }
  if (!(await session.refresh())) return response;
  const token = session.token();
  if (!token) return response;
  retry.headers.set('authorization', `Bearer ${token}`);
  const second = await fetch(retry);
  if (second.status === 401) session.expire();
  return second;
}

async function isExpiredToken(res: Response): Promise<boolean> {
  const body: unknown = await res
    .clone()
    .json()
    .catch(() => null);
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  return typeof type !== 'string' || type.endsWith('/unauthenticated');
}
