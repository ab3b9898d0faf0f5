import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { DEMO_AGENCY, DEMO_PROGRAM_IDS, DEMO_TEAM_IDS } from '../../src/modules/identity/demo.js';
import { ROLE_CATALOG } from '../../src/modules/identity/roles.catalog.js';
import type { TestApp } from '../support/test-app.js';

export const BH_PROGRAM = DEMO_PROGRAM_IDS.bh;
export const CFS_PROGRAM = DEMO_PROGRAM_IDS.cfs;
export const OTHER_AGENCY = '0de70000-0000-4000-8000-0000000000c7';

export interface Staff {
  id: string;
  token: string;
  teamIds: string[];
  programIds: string[];
}

/**
 * A token with exactly a catalog role's grants, for a (fresh) user on the given team: tests see
 * what that role really may do, not a hand-picked permission set.
 */
export async function staff(
  t: TestApp,
  role: string,
  teamId: string | null = DEMO_TEAM_IDS.bhOutpatient,
  options: { agencyId?: string; programIds?: string[]; id?: string } = {},
): Promise<Staff> {
  const definition = ROLE_CATALOG.find((r) => r.name === role);
  if (!definition) throw new Error(`no role ${role}`);
  const id = options.id ?? randomUUID();
  const teamIds = teamId ? [teamId] : [];
  const programIds = options.programIds ?? (teamId ? [programOf(teamId)] : []);
  const token = await t.token({
    sub: id,
    agency: options.agencyId ?? DEMO_AGENCY.id,
    teams: teamIds,
    programs: programIds,
    roles: [role],
    grants: { ...definition.grants },
    amr: ['pwd', 'otp'],
  });
  return { id, token, teamIds, programIds };
}

export function programOf(teamId: string): string {
  const program = DEMO_AGENCY.programs.find((p) => p.teams.some((team) => team.id === teamId));
  if (!program) throw new Error(`team ${teamId} is not a demo team`);
  return program.id;
}

export interface ClientBody {
  givenName: string;
  familyName: string;
  birthDate: string;
  sexAtBirth: string;
  [key: string]: unknown;
}

export interface ClientView {
  id: string;
  agencyId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  ssnLast4: string | null;
  status: string;
  mergedIntoId: string | null;
  access: string;
  version: number;
}

/**
 * Registers a client through the API and returns it (fails the test on anything but 201). Tests
 * register the same default person many times, so likely duplicates are acknowledged unless the
 * body says `acknowledgeDuplicates: false`.
 */
export async function registerClient(
  t: TestApp,
  token: string,
  body: Partial<ClientBody> = {},
): Promise<ClientView> {
  const res = await t.http.request({
    method: 'POST',
    url: '/api/v1/clients',
    token,
    body: {
      givenName: 'Ana',
      familyName: 'Garcia',
      birthDate: '1980-02-03',
      sexAtBirth: 'female',
      acknowledgeDuplicates: true,
      ...body,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ClientView>();
}
