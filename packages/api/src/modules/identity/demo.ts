/**
 * The demo agency loaded on first start (SEED_DEMO_DATA) and into every test database. Ids are
 * fixed so other modules' demo data and tests can refer to these people and teams. The TOTP
 * secrets are public by design: demo only.
 */
export const DEMO_PASSWORD = 'DemoPass!2026';

export interface DemoTeam {
  id: string;
  name: string;
}

export interface DemoProgram {
  id: string;
  code: 'BH' | 'LTC' | 'CFS';
  name: string;
  teams: readonly DemoTeam[];
}

export const DEMO_TEAM_IDS = {
  bhOutpatient: '0de70000-0000-4000-8000-00000000a001',
  bhCrisis: '0de70000-0000-4000-8000-00000000a002',
  ltc: '0de70000-0000-4000-8000-00000000a003',
  cfs: '0de70000-0000-4000-8000-00000000a004',
} as const;

export const DEMO_PROGRAM_IDS = {
  bh: '0de70000-0000-4000-8000-00000000b001',
  ltc: '0de70000-0000-4000-8000-00000000b002',
  cfs: '0de70000-0000-4000-8000-00000000b003',
} as const;

export const DEMO_AGENCY = {
  id: '0de70000-0000-4000-8000-000000000001',
  name: 'Demo County Human Services',
  programs: [
    {
      id: DEMO_PROGRAM_IDS.bh,
      code: 'BH',
      name: 'Behavioral Health',
      teams: [
        { id: DEMO_TEAM_IDS.bhOutpatient, name: 'BH Outpatient Team' },
        { id: DEMO_TEAM_IDS.bhCrisis, name: 'BH Crisis Team' },
      ],
    },
    {
      id: DEMO_PROGRAM_IDS.ltc,
      code: 'LTC',
      name: 'Long-Term Care',
      teams: [{ id: DEMO_TEAM_IDS.ltc, name: 'LTC Team' }],
    },
    {
      id: DEMO_PROGRAM_IDS.cfs,
      code: 'CFS',
      name: 'Child & Family Services',
      teams: [{ id: DEMO_TEAM_IDS.cfs, name: 'CFS Team' }],
    },
  ] as readonly DemoProgram[],
} as const;

export interface DemoUser {
  id: string;
  email: string;
  password: string;
  role: string;
  displayName: string;
  teamIds: readonly string[];
  /** Base32 TOTP secret, for the roles that require MFA (seeded already enrolled). */
  totpSecret?: string;
}

const user = (n: number, role: string, displayName: string, teamIds: string[], totpSecret?: string) => ({
  id: `0de70000-0000-4000-8000-00000000c${String(n).padStart(3, '0')}`,
  email: `${role.replaceAll('_', '-')}@demo.ehrms.local`,
  password: DEMO_PASSWORD,
  role,
  displayName,
  teamIds,
  ...(totpSecret ? { totpSecret } : {}),
});

const { bhOutpatient, bhCrisis, ltc } = DEMO_TEAM_IDS;

export const DEMO_USERS: readonly DemoUser[] = [
  user(1, 'system_admin', 'Sam Sysadmin', [], 'EHRMSDEMOSYSTEMADMINTOTPSECRET23'),
  user(2, 'agency_admin', 'Alex Agencyadmin', [], 'EHRMSDEMOAGENCYADMINTOTPSECRET45'),
  user(3, 'supervisor', 'Sofia Supervisor', [bhOutpatient, bhCrisis]),
  user(4, 'case_manager', 'Casey Casemanager', [bhOutpatient]),
  user(5, 'clinician', 'Chris Clinician', [bhOutpatient]),
  user(6, 'billing_specialist', 'Blake Billing', [ltc]),
  user(7, 'scheduler', 'Skyler Scheduler', [bhOutpatient]),
  user(8, 'auditor', 'Avery Auditor', []),
  user(9, 'client', 'Jordan Client', []),
  user(10, 'privacy_officer', 'Pat Privacy', [], 'EHRMSDEMOPRIVACYOFFICERTOTPSECR7'),
];
