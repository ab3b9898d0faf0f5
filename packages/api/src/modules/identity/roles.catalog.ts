import type { Scope } from '../../platform/auth/principal.js';

/**
 * The agency's roles and what each may do. This file is the source of truth: it is written into
 * `identity.roles` / `identity.role_permissions` at every start (only when it differs), so a
 * module that adds a permission adds it here and to the roles that need it.
 */
export interface RoleDefinition {
  name: string;
  description: string;
  requiresMfa: boolean;
  grants: Readonly<Record<string, Scope>>;
}

export const PERMISSIONS = [
  'identity.self.read',
  'identity.self.write',
  'identity.users.read',
  'identity.users.write',
  'identity.sessions.manage',
  'identity.roles.read',
  'identity.service_accounts.manage',
  'audit.logs.read',
  'audit.logs.export',
  'audit.logs.verify',
  'providers.providers.read',
  'providers.providers.write',
  'clients.clients.read',
  'clients.clients.write',
  'clients.clients.merge',
  'clients.identifiers.reveal',
  'clients.consents.read',
  'clients.consents.manage',
  'clients.break_glass.request',
  'clients.break_glass.review',
  'cases.cases.read',
  'cases.cases.write',
  'cases.notes.write',
  'cases.notes.cosign',
  'cases.closure.approve',
  'cases.contact_policy.manage',
  'documents.documents.read',
  'documents.documents.write',
  'documents.legal_hold.manage',
  'scheduling.resources.read',
  'scheduling.resources.manage',
  'scheduling.appointments.read',
  'scheduling.appointments.write',
  'scheduling.beds.read',
  'scheduling.beds.manage',
  'scheduling.facilities.manage',
  'scheduling.policy.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SELF = { 'identity.self.read': 'own', 'identity.self.write': 'own' } as const;

const staff = (
  name: string,
  description: string,
  usersRead: Scope,
  work: Readonly<Record<string, Scope>> = {},
): RoleDefinition => ({
  name,
  description,
  requiresMfa: false,
  grants: {
    ...SELF,
    'identity.users.read': usersRead,
    'providers.providers.read': 'agency',
    // Calendars, rooms and appointment types hold no PHI; every staff member may see them.
    'scheduling.resources.read': 'agency',
    // Anyone who works with clients may ask for emergency access to one outside their scope.
    'clients.break_glass.request': 'agency',
    ...work,
  },
});

/** What those who serve clients do with the record, at the scope they work at. */
const clientWork = (scope: Scope): Record<string, Scope> => ({
  'clients.clients.read': scope,
  'clients.clients.write': scope,
  'clients.consents.read': scope,
  'clients.consents.manage': scope,
  'cases.cases.read': scope,
  'cases.cases.write': scope,
  'cases.notes.write': scope,
  'documents.documents.read': scope,
  'documents.documents.write': scope,
  'scheduling.appointments.read': scope,
  'scheduling.appointments.write': scope,
});

export const ROLE_CATALOG: readonly RoleDefinition[] = [
  {
    name: 'system_admin',
    description: 'Runs the system for every agency: users, roles, integrations, audit.',
    requiresMfa: true,
    grants: Object.fromEntries(PERMISSIONS.map((p) => [p, 'all'])),
  },
  {
    name: 'agency_admin',
    description: "Manages the agency's users, sessions and service accounts.",
    requiresMfa: true,
    grants: {
      ...SELF,
      'identity.users.read': 'agency',
      'identity.users.write': 'agency',
      'identity.sessions.manage': 'agency',
      'identity.roles.read': 'agency',
      'identity.service_accounts.manage': 'agency',
      'providers.providers.read': 'agency',
      'providers.providers.write': 'agency',
      'documents.legal_hold.manage': 'agency',
      'scheduling.resources.read': 'agency',
      'scheduling.resources.manage': 'agency',
      // Sets up facilities, units, rooms and beds; sees the board without client names.
      'scheduling.facilities.manage': 'agency',
      'scheduling.beds.read': 'agency',
      // The agency's appointment reminder lead times.
      'scheduling.policy.manage': 'agency',
    },
  },
  staff('supervisor', 'Supervises the teams of a program; approves and escalates work.', 'program', {
    ...clientWork('program'),
    'clients.clients.merge': 'program',
    'clients.identifiers.reveal': 'program',
    'cases.notes.cosign': 'program',
    'cases.closure.approve': 'program',
    // The contact policy is the agency's: a supervisor sets it for every program.
    'cases.contact_policy.manage': 'agency',
    'scheduling.resources.manage': 'program',
    'scheduling.beds.read': 'program',
    'scheduling.beds.manage': 'program',
  }),
  staff('case_manager', 'Coordinates services for clients on their team.', 'team', {
    ...clientWork('team'),
    'clients.identifiers.reveal': 'team',
    // The program's bed boards; names only of clients on their team.
    'scheduling.beds.read': 'program',
  }),
  staff('clinician', 'Provides and documents clinical services.', 'team', {
    ...clientWork('team'),
    'scheduling.beds.read': 'program',
  }),
  staff('billing_specialist', 'Prepares claims and posts payments.', 'team', {
    'clients.clients.read': 'agency',
    'clients.identifiers.reveal': 'agency',
    'cases.cases.read': 'agency',
  }),
  staff('scheduler', 'Books appointments, resources and beds.', 'team', {
    'clients.clients.read': 'team',
    'cases.cases.read': 'team',
    'scheduling.appointments.read': 'program',
    'scheduling.appointments.write': 'program',
    'scheduling.resources.manage': 'program',
    'scheduling.beds.read': 'program',
    'scheduling.beds.manage': 'program',
  }),
  {
    name: 'privacy_officer',
    description: 'Reviews break-the-glass use, consents and disclosures for the agency.',
    requiresMfa: true,
    grants: {
      ...SELF,
      'identity.users.read': 'agency',
      'clients.break_glass.review': 'agency',
      'clients.consents.read': 'agency',
      'audit.logs.read': 'agency',
      'audit.logs.export': 'agency',
      'documents.legal_hold.manage': 'agency',
    },
  },
  {
    name: 'auditor',
    description: 'Reviews and exports the audit trail of the agency.',
    requiresMfa: false,
    grants: {
      ...SELF,
      'identity.users.read': 'agency',
      'audit.logs.read': 'agency',
      'audit.logs.export': 'agency',
      'audit.logs.verify': 'agency',
    },
  },
  {
    name: 'client',
    description: 'A person served by the agency, using the client portal.',
    requiresMfa: false,
    grants: { ...SELF },
  },
];

export const ROLE_NAMES = ROLE_CATALOG.map((r) => r.name);
