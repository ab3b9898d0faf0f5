import type { components, paths } from '@ehrms/sdk';

/*
 * The API contract as the web app names it, taken from the generated SDK types so a change in
 * the API shows up here as a type error.
 */

type Schemas = components['schemas'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type OkJson<Op> = Op extends { responses: { 200: infer R } } ? JsonOf<R> : never;

export type User = Schemas['User'];
export type UserStatus = User['status'];
export type Me = OkJson<paths['/api/v1/identity/me']['get']>;
export type Scope = Me['grants'][string];

export type Authenticated = Schemas['Authenticated'] & {
  /** Only right after MFA enrolment at sign-in; shown once. */
  recoveryCodes?: string[];
};
export type MfaChallenge = Schemas['MfaStep'];
export type LoginResult = Authenticated | MfaChallenge;
export type MfaEnrollment = OkJson<paths['/api/v1/identity/auth/mfa/enroll']['post']>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type SessionInfo = Schemas['Session'];
export type Role = OkJson<paths['/api/v1/identity/roles']['get']>['items'][number];
export type Team = OkJson<paths['/api/v1/identity/teams']['get']>['items'][number];

type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;
export type NewUser = Required<JsonBody<paths['/api/v1/identity/users']['post']>>;
export type UserChanges = JsonBody<paths['/api/v1/identity/users/{id}']['patch']>;
export type UserQuery = NonNullable<paths['/api/v1/identity/users']['get']['parameters']['query']>;

export type AuditLogItem = Schemas['AuditLogItem'];
export type AuditOutcome = AuditLogItem['outcome'];
/** Filters shared by the audit list and export; dates are ISO 8601 (`from` inclusive, `to` exclusive). */
export type AuditFilters = NonNullable<paths['/api/v1/audit/logs/export']['get']['parameters']['query']>;
export type ChainVerification = Schemas['AuditChainVerification'];

type QueryOf<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Client = Schemas['Client'];
export type ClientStatus = Client['status'];
export type ClientSearch = QueryOf<paths['/api/v1/clients/search']['get']>;
export type ClientSearchHit = OkJson<paths['/api/v1/clients/search']['get']>['items'][number];
export type NewClient = JsonBody<paths['/api/v1/clients']['post']>;
export type DuplicateCandidate = Schemas['DuplicateCandidate'];
export type ClientChart = Schemas['ClientChart'];
export type Enrollment = Schemas['Enrollment'];
export type Consent = Schemas['Consent'];
export type ConsentList = OkJson<paths['/api/v1/clients/{id}/consents']['get']>;
export type BreakGlassRequest = JsonBody<paths['/api/v1/clients/{id}/break-glass']['post']>;
export type BreakGlassGrant = Schemas['BreakGlassGrant'];

export type Case = Schemas['Case'];
export type CaseQuery = QueryOf<paths['/api/v1/cases']['get']>;
export type CaseloadView = NonNullable<CaseQuery['view']>;
export type NewCase = JsonBody<paths['/api/v1/cases']['post']>;
export type CaseNote = Schemas['CaseNote'];
export type NoteType = CaseNote['noteType'];
export type NewNote = JsonBody<paths['/api/v1/cases/{id}/notes']['post']>;
export type NoteChanges = JsonBody<paths['/api/v1/cases/{id}/notes/{noteId}']['patch']>;
export type NewAddendum = JsonBody<paths['/api/v1/cases/{id}/notes/{noteId}/addenda']['post']>;

export type Provider = Schemas['Provider'];
export type ProviderQuery = QueryOf<paths['/api/v1/providers']['get']>;
export type ProviderStanding = Schemas['ProviderStanding'];
export type ProviderCredential = Schemas['ProviderCredential'];
export type ProviderLocation = Schemas['ProviderLocation'];
export type ProviderService = Schemas['ProviderServiceOffering'];
export type ProviderContract = Schemas['ProviderContract'];

export type ClientDocument = Schemas['Document'];
export type DocumentCategory = ClientDocument['category'];
/** The form fields of an upload; the file is sent after them. */
export type DocumentUploadFields = Omit<Schemas['DocumentUploadForm'], 'file'>;
export type DocumentQuery = QueryOf<paths['/api/v1/documents']['get']>;

export type Facility = Schemas['Facility'];
export type BedBoard = Schemas['BedBoard'];
export type Bed = Schemas['Bed'];
export type BedState = Bed['state'];
export type BedActionResult = Schemas['BedActionResult'];
export type AdmitRequest = JsonBody<paths['/api/v1/scheduling/beds/{id}/admit']['post']>;
export type TransferRequest = JsonBody<paths['/api/v1/scheduling/beds/{id}/transfer']['post']>;
export type HoldRequest = JsonBody<paths['/api/v1/scheduling/beds/{id}/hold']['post']>;

export type Appointment = Schemas['Appointment'];
export type AppointmentStatus = Appointment['status'];
export type AppointmentType = Schemas['AppointmentType'];
export type SchedulingResource = Schemas['SchedulingResource'];
export type ResourceQuery = QueryOf<paths['/api/v1/scheduling/resources']['get']>;
export type WorkingHours = Schemas['SchedulingWorkingHours'];
export type Availability = Schemas['SchedulingAvailability'];
export type ProviderAvailability = Availability['providers'][number];
export type AvailabilityQuery = QueryOf<paths['/api/v1/scheduling/availability']['get']>;
export type AppointmentQuery = QueryOf<paths['/api/v1/scheduling/appointments']['get']>;
export type AppointmentList = OkJson<paths['/api/v1/scheduling/appointments']['get']>;
export type NewAppointment = JsonBody<paths['/api/v1/scheduling/appointments']['post']>;
export type RescheduleRequest = JsonBody<paths['/api/v1/scheduling/appointments/{id}/reschedule']['post']>;

export type AppointmentSeries = Schemas['SchedulingSeries'];
export type NewSeries = JsonBody<paths['/api/v1/scheduling/series']['post']>;
export type SeriesChange = JsonBody<paths['/api/v1/scheduling/series/{id}']['patch']>;
export type SeriesCancel = JsonBody<paths['/api/v1/scheduling/series/{id}/cancel']['post']>;
export type SeriesScope = SeriesChange['scope'];
export type WaitlistEntry = Schemas['SchedulingWaitlistEntry'];
export type WaitlistStatus = WaitlistEntry['status'];
export type TimeOfDay = WaitlistEntry['timesOfDay'][number];
export type WaitlistQuery = QueryOf<paths['/api/v1/scheduling/waitlist']['get']>;
export type WaitlistList = OkJson<paths['/api/v1/scheduling/waitlist']['get']>;
export type NewWaitlistEntry = JsonBody<paths['/api/v1/scheduling/waitlist']['post']>;
export type ReminderPolicy = Schemas['SchedulingReminderPolicy'];
export type ReminderLead = ReminderPolicy['leads'][number];
