import { api, AUDITING, done, OPERATIONS, result, resultWithResponse } from './client.js';
import type {
  AuditFilters,
  Authenticated,
  LoginResult,
  NewUser,
  User,
  UserChanges,
  UserQuery,
} from './types.js';

/* Every API call the web app makes, in one file, on the generated SDK. */

export const auth = {
  login: (email: string, password: string) =>
    result<LoginResult>(api.POST('/api/v1/identity/auth/login', { body: { email, password } })),
  verifyMfa: (mfaToken: string, proof: { code: string } | { recoveryCode: string }) =>
    result<Authenticated>(api.POST('/api/v1/identity/auth/mfa/verify', { body: { mfaToken, ...proof } })),
  enrollMfa: (mfaToken: string) =>
    result(api.POST('/api/v1/identity/auth/mfa/enroll', { body: { mfaToken } })),
  confirmMfaEnrollment: (mfaToken: string, code: string) =>
    result<Authenticated>(api.POST('/api/v1/identity/auth/mfa/enroll/confirm', { body: { mfaToken, code } })),
};

export const me = {
  get: () => result(api.GET('/api/v1/identity/me', { params: OPERATIONS })),
  changePassword: (currentPassword: string, newPassword: string) =>
    done(
      api.POST('/api/v1/identity/me/password', {
        params: OPERATIONS,
        body: { currentPassword, newPassword },
      }),
    ),
  sessions: () => result(api.GET('/api/v1/identity/me/sessions', { params: OPERATIONS })),
  revokeSession: (id: string) =>
    done(api.DELETE('/api/v1/identity/me/sessions/{id}', { params: { ...OPERATIONS, path: { id } } })),
  enrollMfa: () => result(api.POST('/api/v1/identity/me/mfa/enroll', { params: OPERATIONS })),
  confirmMfa: (code: string) =>
    result(api.POST('/api/v1/identity/me/mfa/confirm', { params: OPERATIONS, body: { code } })),
  disableMfa: (code: string) =>
    done(api.POST('/api/v1/identity/me/mfa/disable', { params: OPERATIONS, body: { code } })),
};

export const users = {
  list: (query: UserQuery) => result(api.GET('/api/v1/identity/users', { params: { ...OPERATIONS, query } })),
  /** The user and the ETag to send back as If-Match when changing them. */
  get: async (id: string): Promise<{ user: User; etag: string }> => {
    const { data, response } = await resultWithResponse(
      api.GET('/api/v1/identity/users/{id}', { params: { ...OPERATIONS, path: { id } } }),
    );
    return { user: data, etag: response.headers.get('etag') ?? `"${data.version}"` };
  },
  create: (body: NewUser) => result(api.POST('/api/v1/identity/users', { params: OPERATIONS, body })),
  update: (id: string, etag: string, body: UserChanges) =>
    result(
      api.PATCH('/api/v1/identity/users/{id}', {
        params: { ...OPERATIONS, path: { id } },
        headers: { 'if-match': etag },
        body,
      }),
    ),
  deactivate: (id: string) =>
    result(api.POST('/api/v1/identity/users/{id}/deactivate', { params: { ...OPERATIONS, path: { id } } })),
  reactivate: (id: string) =>
    result(api.POST('/api/v1/identity/users/{id}/reactivate', { params: { ...OPERATIONS, path: { id } } })),
  roles: () => result(api.GET('/api/v1/identity/roles', { params: OPERATIONS })),
  teams: () => result(api.GET('/api/v1/identity/teams', { params: OPERATIONS })),
};

export const audit = {
  logs: (filters: AuditFilters, cursor: string | undefined, limit = 50) =>
    result(api.GET('/api/v1/audit/logs', { params: { ...AUDITING, query: { ...filters, cursor, limit } } })),
  /** The matching entries as NDJSON, for download. */
  export: (filters: AuditFilters) =>
    result<Blob>(
      api.GET('/api/v1/audit/logs/export', {
        params: { ...AUDITING, query: filters },
        parseAs: 'blob',
      }) as Promise<{
        data?: Blob;
        error?: unknown;
        response: Response;
      }>,
    ),
  verify: () => result(api.GET('/api/v1/audit/verify', { params: AUDITING })),
};
