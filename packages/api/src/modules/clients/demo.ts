import { DEMO_PROGRAM_IDS, DEMO_TEAM_IDS, DEMO_USERS } from '../identity/demo.js';

/**
 * Demo clients loaded with the demo agency. Ids are fixed so other modules' demo data, the
 * SQL review files and tests can refer to them. Names and numbers are synthetic.
 */
export interface DemoClient {
  id: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sexAtBirth: 'female' | 'male' | 'intersex' | 'unknown';
  primaryLanguage: string | null;
  interpreterNeeded: boolean;
  ssn: string | null;
  medicaidId: string | null;
  teamId: string;
  programId: string;
}

const { bh, cfs } = DEMO_PROGRAM_IDS;

export const DEMO_CLIENTS: readonly DemoClient[] = [
  {
    id: '0de70000-0000-4000-8000-0000000d0001',
    givenName: 'Maria',
    familyName: 'Hernandez',
    birthDate: '1984-03-17',
    sexAtBirth: 'female',
    primaryLanguage: 'Spanish',
    interpreterNeeded: true,
    ssn: '123456781',
    medicaidId: '4000000001',
    teamId: DEMO_TEAM_IDS.bhOutpatient,
    programId: bh,
  },
  {
    id: '0de70000-0000-4000-8000-0000000d0002',
    givenName: 'James',
    familyName: 'Thompson',
    birthDate: '1991-11-02',
    sexAtBirth: 'male',
    primaryLanguage: 'English',
    interpreterNeeded: false,
    ssn: '123456782',
    medicaidId: '4000000002',
    teamId: DEMO_TEAM_IDS.bhOutpatient,
    programId: bh,
  },
  {
    id: '0de70000-0000-4000-8000-0000000d0003',
    givenName: 'Lee',
    familyName: 'Vang',
    birthDate: '2012-06-30',
    sexAtBirth: 'female',
    primaryLanguage: 'Hmong',
    interpreterNeeded: true,
    ssn: null,
    medicaidId: '4000000003',
    teamId: DEMO_TEAM_IDS.cfs,
    programId: cfs,
  },
];

/** Who registered the demo clients: the demo case manager. */
export const DEMO_REGISTRAR = DEMO_USERS.find((u) => u.role === 'case_manager')?.id ?? '';
