import { api, AUDITING, done, OPERATIONS, result, resultWithResponse, TREATMENT } from './client.js';
import type {
  AdmitRequest,
  AppointmentSeries,
  AppointmentQuery,
  AuditFilters,
  AvailabilityQuery,
  Authenticated,
  BreakGlassRequest,
  CaseNote,
  CaseQuery,
  ClientSearch,
  DocumentQuery,
  DocumentUploadFields,
  HoldRequest,
  LoginResult,
  NewAddendum,
  NewAppointment,
  NewCase,
  NewClient,
  NewNote,
  NewUser,
  NoteChanges,
  NewSeries,
  NewWaitlistEntry,
  ProviderQuery,
  ReminderLead,
  ReminderPolicy,
  RescheduleRequest,
  ResourceQuery,
  SeriesCancel,
  SeriesChange,
  TransferRequest,
  User,
  UserChanges,
  UserQuery,
  WaitlistQuery,
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

/** `"3"`: the If-Match a record's version answers to (the API's ETag is the version, quoted). */
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

export const clients = {
  /** Those of these clients the caller may see (at most 200), to name them in a list of cases. */
  named: (ids: string[]) =>
    result(
      api.GET('/api/v1/clients', { params: { ...TREATMENT, query: { ids: ids.join(','), limit: 200 } } }),
    ),
  /** Typo-tolerant name, birth date or identifier search within my scope, best match first. */
  search: (query: ClientSearch) =>
    result(api.GET('/api/v1/clients/search', { params: { ...TREATMENT, query } })),
  get: (id: string) => result(api.GET('/api/v1/clients/{id}', { params: { ...TREATMENT, path: { id } } })),
  register: (body: NewClient) => result(api.POST('/api/v1/clients', { params: TREATMENT, body })),
  chart: (id: string) =>
    result(api.GET('/api/v1/clients/{id}/chart', { params: { ...TREATMENT, path: { id } } })),
  consents: (id: string) =>
    result(api.GET('/api/v1/clients/{id}/consents', { params: { ...TREATMENT, path: { id } } })),
  breakGlass: (id: string, body: BreakGlassRequest) =>
    result(api.POST('/api/v1/clients/{id}/break-glass', { params: { ...TREATMENT, path: { id } }, body })),
  myBreakGlassGrants: () => result(api.GET('/api/v1/clients/break-glass/mine', { params: TREATMENT })),
};

export const cases = {
  list: (query: CaseQuery) => result(api.GET('/api/v1/cases', { params: { ...TREATMENT, query } })),
  get: (id: string) => result(api.GET('/api/v1/cases/{id}', { params: { ...TREATMENT, path: { id } } })),
  open: (body: NewCase) => result(api.POST('/api/v1/cases', { params: TREATMENT, body })),
};

export const caseNotes = {
  list: (caseId: string, cursor: string | undefined, limit = 100) =>
    result(
      api.GET('/api/v1/cases/{id}/notes', {
        params: { ...TREATMENT, path: { id: caseId }, query: { cursor, limit } },
      }),
    ),
  create: (caseId: string, body: NewNote) =>
    result(api.POST('/api/v1/cases/{id}/notes', { params: { ...TREATMENT, path: { id: caseId } }, body })),
  update: (note: CaseNote, body: NoteChanges) =>
    result(
      api.PATCH('/api/v1/cases/{id}/notes/{noteId}', {
        params: { ...TREATMENT, path: { id: note.caseId, noteId: note.id } },
        headers: ifMatch(note.version),
        body,
      }),
    ),
  sign: (note: CaseNote) =>
    result(
      api.POST('/api/v1/cases/{id}/notes/{noteId}/sign', {
        params: { ...TREATMENT, path: { id: note.caseId, noteId: note.id } },
        headers: ifMatch(note.version),
      }),
    ),
  discard: (note: CaseNote) =>
    done(
      api.DELETE('/api/v1/cases/{id}/notes/{noteId}', {
        params: { ...TREATMENT, path: { id: note.caseId, noteId: note.id } },
        headers: ifMatch(note.version),
      }),
    ),
  addAddendum: (note: CaseNote, body: NewAddendum) =>
    result(
      api.POST('/api/v1/cases/{id}/notes/{noteId}/addenda', {
        params: { ...TREATMENT, path: { id: note.caseId, noteId: note.id } },
        body,
      }),
    ),
  cosign: (note: CaseNote) =>
    result(
      api.POST('/api/v1/cases/{id}/notes/{noteId}/cosign', {
        params: { ...TREATMENT, path: { id: note.caseId, noteId: note.id } },
        headers: ifMatch(note.version),
      }),
    ),
};

export const providers = {
  list: (query: ProviderQuery) => result(api.GET('/api/v1/providers', { params: { ...OPERATIONS, query } })),
  get: (id: string) => result(api.GET('/api/v1/providers/{id}', { params: { ...OPERATIONS, path: { id } } })),
  standing: (id: string) =>
    result(api.GET('/api/v1/providers/{id}/standing', { params: { ...OPERATIONS, path: { id } } })),
  credentials: (id: string) =>
    result(api.GET('/api/v1/providers/{id}/credentials', { params: { ...OPERATIONS, path: { id } } })),
  locations: (id: string) =>
    result(api.GET('/api/v1/providers/{id}/locations', { params: { ...OPERATIONS, path: { id } } })),
  services: (id: string) =>
    result(api.GET('/api/v1/providers/{id}/services', { params: { ...OPERATIONS, path: { id } } })),
  contracts: (id: string) =>
    result(api.GET('/api/v1/providers/{id}/contracts', { params: { ...OPERATIONS, path: { id } } })),
};

export const documents = {
  list: (query: DocumentQuery) => result(api.GET('/api/v1/documents', { params: { ...TREATMENT, query } })),
  /** The current version's bytes, for the browser to save (the token never goes into a link). */
  content: (id: string) =>
    result<Blob>(
      api.GET('/api/v1/documents/{id}/content', {
        params: { ...TREATMENT, path: { id } },
        parseAs: 'blob',
      }) as Promise<{ data?: Blob; error?: unknown; response: Response }>,
    ),
  /** Files a document: the fields first, then the file, as one multipart form (the server streams it). */
  upload: (fields: DocumentUploadFields, file: File) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) form.append(name, String(value));
    form.append('file', file, file.name);
    return result(
      api.POST('/api/v1/documents', {
        params: TREATMENT,
        body: { ...fields, file: file.name },
        bodySerializer: () => form,
      }),
    );
  },
};

/** The bed board: facilities, their live board and the moves on a bed. Names on it are PHI (treatment). */
export const beds = {
  facilities: () => result(api.GET('/api/v1/scheduling/facilities', { params: TREATMENT })),
  board: (facilityId: string) =>
    result(
      api.GET('/api/v1/scheduling/facilities/{id}/board', {
        params: { ...TREATMENT, path: { id: facilityId } },
      }),
    ),
  admit: (bedId: string, body: AdmitRequest) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/admit', { params: { ...TREATMENT, path: { id: bedId } }, body }),
    ),
  transfer: (bedId: string, body: TransferRequest) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/transfer', {
        params: { ...TREATMENT, path: { id: bedId } },
        body,
      }),
    ),
  discharge: (bedId: string, disposition: string) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/discharge', {
        params: { ...TREATMENT, path: { id: bedId } },
        body: { disposition },
      }),
    ),
  clean: (bedId: string) =>
    result(api.POST('/api/v1/scheduling/beds/{id}/clean', { params: { ...TREATMENT, path: { id: bedId } } })),
  outOfService: (bedId: string, reason: string) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/out-of-service', {
        params: { ...TREATMENT, path: { id: bedId } },
        body: { reason },
      }),
    ),
  inService: (bedId: string) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/in-service', { params: { ...TREATMENT, path: { id: bedId } } }),
    ),
  hold: (bedId: string, body: HoldRequest) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/hold', { params: { ...TREATMENT, path: { id: bedId } }, body }),
    ),
  releaseHold: (bedId: string) =>
    result(
      api.POST('/api/v1/scheduling/beds/{id}/release-hold', {
        params: { ...TREATMENT, path: { id: bedId } },
      }),
    ),
};

/**
 * Appointments: calendars, the check-in list, a client's appointments and booking. They name
 * clients, so they serve treatment; resources and appointment types hold no PHI.
 */
export const scheduling = {
  resources: (query: ResourceQuery) =>
    result(api.GET('/api/v1/scheduling/resources', { params: { ...OPERATIONS, query } })),
  hours: (resourceId: string) =>
    result(
      api.GET('/api/v1/scheduling/resources/{id}/hours', {
        params: { ...OPERATIONS, path: { id: resourceId } },
      }),
    ),
  types: () =>
    result(
      api.GET('/api/v1/scheduling/appointment-types', {
        params: { ...OPERATIONS, query: { active: 'true' } },
      }),
    ),
  availability: (query: AvailabilityQuery) =>
    result(api.GET('/api/v1/scheduling/availability', { params: { ...TREATMENT, query } })),
  appointments: (query: AppointmentQuery) =>
    result(api.GET('/api/v1/scheduling/appointments', { params: { ...TREATMENT, query } })),
  book: (body: NewAppointment) =>
    result(api.POST('/api/v1/scheduling/appointments', { params: TREATMENT, body })),
  checkIn: (id: string) =>
    result(
      api.POST('/api/v1/scheduling/appointments/{id}/check-in', { params: { ...TREATMENT, path: { id } } }),
    ),
  noShow: (id: string, reason?: string) =>
    result(
      api.POST('/api/v1/scheduling/appointments/{id}/no-show', {
        params: { ...TREATMENT, path: { id } },
        body: reason ? { reason } : {},
      }),
    ),
  cancel: (id: string, reason: string) =>
    result(
      api.POST('/api/v1/scheduling/appointments/{id}/cancel', {
        params: { ...TREATMENT, path: { id } },
        body: { reason },
      }),
    ),
  reschedule: (id: string, body: RescheduleRequest) =>
    result(
      api.POST('/api/v1/scheduling/appointments/{id}/reschedule', {
        params: { ...TREATMENT, path: { id } },
        body,
      }),
    ),
};

/** Recurring series: booked, changed and cancelled as a whole (If-Match on changes: the series' ETag). */
export const series = {
  /** The series and the ETag to send back as If-Match when changing it. */
  get: async (id: string): Promise<{ series: AppointmentSeries; etag: string }> => {
    const { data, response } = await resultWithResponse(
      api.GET('/api/v1/scheduling/series/{id}', { params: { ...TREATMENT, path: { id } } }),
    );
    return { series: data, etag: response.headers.get('etag') ?? `"${data.version}"` };
  },
  book: (body: NewSeries) => result(api.POST('/api/v1/scheduling/series', { params: TREATMENT, body })),
  change: (id: string, etag: string, body: SeriesChange) =>
    result(
      api.PATCH('/api/v1/scheduling/series/{id}', {
        params: { ...TREATMENT, path: { id } },
        headers: { 'if-match': etag },
        body,
      }),
    ),
  cancel: (id: string, body: SeriesCancel) =>
    result(
      api.POST('/api/v1/scheduling/series/{id}/cancel', { params: { ...TREATMENT, path: { id } }, body }),
    ),
};

/** Clients waiting for a slot, and the freed slots offered to them (booked with `scheduling.book`). */
export const waitlist = {
  list: (query: WaitlistQuery) =>
    result(api.GET('/api/v1/scheduling/waitlist', { params: { ...TREATMENT, query } })),
  add: (body: NewWaitlistEntry) =>
    result(api.POST('/api/v1/scheduling/waitlist', { params: TREATMENT, body })),
  withdraw: (id: string, reason?: string) =>
    result(
      api.POST('/api/v1/scheduling/waitlist/{id}/withdraw', {
        params: { ...TREATMENT, path: { id } },
        body: reason ? { reason } : {},
      }),
    ),
};

/** The agency's appointment reminder lead times (agency administration; no PHI). */
export const reminderPolicy = {
  /** The policy and the ETag to send back as If-Match (`"0"` while the default applies). */
  get: async (): Promise<{ policy: ReminderPolicy; etag: string }> => {
    const { data, response } = await resultWithResponse(
      api.GET('/api/v1/scheduling/reminder-policy', { params: OPERATIONS }),
    );
    return { policy: data, etag: response.headers.get('etag') ?? `"${data.version}"` };
  },
  replace: (etag: string, leads: ReminderLead[]) =>
    result(
      api.PUT('/api/v1/scheduling/reminder-policy', {
        params: OPERATIONS,
        headers: { 'if-match': etag },
        body: { leads },
      }),
    ),
};
