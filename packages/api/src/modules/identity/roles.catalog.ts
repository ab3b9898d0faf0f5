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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const SELF = { 'identity.self.read': 'own', 'identity.self.write': 'own' } as const;

const staff = (name: string, description: string, usersRead: Scope): RoleDefinition => ({
  name,
  description,
  requiresMfa: false,
  grants: { ...SELF, 'identity.users.read': usersRead, 'providers.providers.read': 'agency' },
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
    },
  },
  staff('supervisor', 'Supervises the teams of a program; approves and escalates work.', 'program'),
  staff('case_manager', 'Coordinates services for clients on their team.', 'team'),
  staff('clinician', 'Provides and documents clinical services.', 'team'),
  staff('billing_specialist', 'Prepares claims and posts payments.', 'team'),
  staff('scheduler', 'Books appointments, resources and beds.', 'team'),
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
