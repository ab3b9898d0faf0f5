import { DEMO_CLIENTS } from '../clients/demo.js';
import { DEMO_PROGRAM_IDS, DEMO_TEAM_IDS, DEMO_USERS } from '../identity/demo.js';
import type { GoalStatus, InterventionStatus, ProgressRating, TaskType } from './casework.schema.js';
import type { CaseType, NoteType, RiskLevel } from './cases.schema.js';
import { addDays } from './contact-policy.js';

/**
 * The demo agency's casework (SEED_DEMO_DATA): cases for the demo clients, signed notes with an
 * addendum, a draft, a service plan in force with a progress review, and tasks — so the staff
 * app opens on a lived-in caseload. Ids and dates are fixed (deterministic demo, tests can refer
 * to them); the story is told as of DEMO_STORY_DAY, and its recent dates count back from it.
 * The contact tasks are not listed here: the contact policy derives them from these notes.
 */
export const DEMO_STORY_DAY = '2026-11-20';
/** The day the demo clients were enrolled (clients.seed.ts) and their first cases opened. */
export const DEMO_INTAKE_DAY = '2026-01-05';

const daysAgo = (n: number) => addDays(DEMO_STORY_DAY, -n);
const demoId = (suffix: string) => `0de70000-0000-4000-8000-0000000${suffix}`;
const userId = (role: string) => {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user.id;
};
const clientId = (givenName: string) => {
  const client = DEMO_CLIENTS.find((c) => c.givenName === givenName);
  if (!client) throw new Error(`no demo client ${givenName}`);
  return client.id;
};

/** The demo case manager (Casey), who works the BH cases. */
export const DEMO_CASE_MANAGER = userId('case_manager');
/** Opened the CFS case, which waits in that team's queue (no demo user works in CFS). */
const INTAKE_ADMIN = userId('system_admin');

export const DEMO_CASE_IDS = {
  maria: demoId('cd001'),
  james: demoId('cd002'),
  lee: demoId('cd003'),
} as const;

export interface DemoCase {
  id: string;
  clientId: string;
  programId: string;
  teamId: string;
  /** Null: in the team's queue. */
  workerId: string | null;
  type: CaseType;
  riskLevel: RiskLevel;
  openedOn: string;
  openedBy: string;
  /** Fixed id of its `opened` assignment row. */
  assignmentId: string;
}

export const DEMO_CASES: readonly DemoCase[] = [
  {
    id: DEMO_CASE_IDS.maria,
    clientId: clientId('Maria'),
    programId: DEMO_PROGRAM_IDS.bh,
    teamId: DEMO_TEAM_IDS.bhOutpatient,
    workerId: DEMO_CASE_MANAGER,
    type: 'ongoing',
    riskLevel: 'moderate',
    openedOn: DEMO_INTAKE_DAY,
    openedBy: DEMO_CASE_MANAGER,
    assignmentId: demoId('cd0a1'),
  },
  {
    id: DEMO_CASE_IDS.james,
    clientId: clientId('James'),
    programId: DEMO_PROGRAM_IDS.bh,
    teamId: DEMO_TEAM_IDS.bhOutpatient,
    workerId: DEMO_CASE_MANAGER,
    type: 'crisis',
    riskLevel: 'high',
    openedOn: daysAgo(25),
    openedBy: DEMO_CASE_MANAGER,
    assignmentId: demoId('cd0a2'),
  },
  {
    id: DEMO_CASE_IDS.lee,
    clientId: clientId('Lee'),
    programId: DEMO_PROGRAM_IDS.cfs,
    teamId: DEMO_TEAM_IDS.cfs,
    workerId: null,
    type: 'protective',
    riskLevel: 'low',
    openedOn: daysAgo(4),
    openedBy: INTAKE_ADMIN,
    assignmentId: demoId('cd0a3'),
  },
];

/** A note as the author wrote it; `signedAt` null is a draft. Times are the agency's wall clock. */
export interface DemoNote {
  id: string;
  caseId: string;
  authorId: string;
  type: NoteType;
  contactDay: string;
  contactTime: string;
  durationMinutes: number | null;
  body: string;
  signedAt: { day: string; time: string } | null;
  /** For an addendum: the note it corrects. */
  parentNoteId: string | null;
}

export const DEMO_NOTE_IDS = {
  mariaIntake: demoId('cd101'),
  mariaHomeVisit: demoId('cd102'),
  mariaHomeVisitAddendum: demoId('cd103'),
  mariaCollateral: demoId('cd104'),
  mariaClinic: demoId('cd105'),
  mariaDraft: demoId('cd106'),
  jamesCrisis: demoId('cd111'),
  jamesFollowUp: demoId('cd112'),
  jamesSafetyPlan: demoId('cd113'),
} as const;

const casey = DEMO_CASE_MANAGER;
const n = DEMO_NOTE_IDS;

/** Listed in the order they were written (an addendum after its note). */
export const DEMO_NOTES: readonly DemoNote[] = [
  {
    id: n.mariaIntake,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'contact',
    contactDay: DEMO_INTAKE_DAY,
    contactTime: '09:30',
    durationMinutes: 60,
    body:
      'Intake at the clinic with a Spanish interpreter. Maria describes low mood and poor sleep since ' +
      'losing her job in the fall. No thoughts of self-harm; she agreed to weekly therapy and to build ' +
      'a service plan together.',
    signedAt: { day: DEMO_INTAKE_DAY, time: '14:00' },
    parentNoteId: null,
  },
  {
    id: n.mariaHomeVisit,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(17),
    contactTime: '10:00',
    durationMinutes: 45,
    body:
      'Home visit with an interpreter. Rent is paid through December and the apartment is in good ' +
      'order. Maria attends therapy weekly and sleeps about six hours most nights. Two job ' +
      'applications sent this month.',
    signedAt: { day: daysAgo(17), time: '15:30' },
    parentNoteId: null,
  },
  {
    id: n.mariaHomeVisitAddendum,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(17),
    contactTime: '10:00',
    durationMinutes: null,
    body: 'Correction: the interpreter joined by phone (language line), not in person.',
    signedAt: { day: daysAgo(16), time: '09:15' },
    parentNoteId: n.mariaHomeVisit,
  },
  {
    id: n.mariaCollateral,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'collateral',
    contactDay: daysAgo(10),
    contactTime: '13:00',
    durationMinutes: 20,
    body:
      'Case review with Ana Ruiz, PsyD (therapist): Maria attended five of the last six sessions; ' +
      'sleep log shows steady improvement. Agreed to revisit the job-search goal at the next review.',
    signedAt: { day: daysAgo(10), time: '16:00' },
    parentNoteId: null,
  },
  {
    id: n.mariaClinic,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(3),
    contactTime: '11:00',
    durationMinutes: 30,
    body:
      'Met Maria at the clinic after her therapy session. Mood brighter; she has a second interview ' +
      'at a bakery next week. Reviewed the safety plan; no concerns.',
    // Signed two days later: a late entry.
    signedAt: { day: daysAgo(1), time: '10:00' },
    parentNoteId: null,
  },
  {
    id: n.mariaDraft,
    caseId: DEMO_CASE_IDS.maria,
    authorId: casey,
    type: 'phone',
    contactDay: DEMO_STORY_DAY,
    contactTime: '09:00',
    durationMinutes: 10,
    body: 'Left a voicemail about the food pantry referral; will try again Monday.',
    signedAt: null,
    parentNoteId: null,
  },
  {
    id: n.jamesCrisis,
    caseId: DEMO_CASE_IDS.james,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(25),
    contactTime: '16:00',
    durationMinutes: 90,
    body:
      'Walk-in crisis assessment. James reports panic attacks and two nights without sleep since ' +
      'losing his housing. Safety plan completed with him; referred to the Crisis Stabilization ' +
      'Center, where he was admitted tonight.',
    signedAt: { day: daysAgo(25), time: '19:30' },
    parentNoteId: null,
  },
  {
    id: n.jamesFollowUp,
    caseId: DEMO_CASE_IDS.james,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(18),
    contactTime: '14:00',
    durationMinutes: 30,
    body:
      'Visited James at the Crisis Stabilization Center. Sleeping again and fewer panic attacks; he ' +
      'wants to return to work part-time. Discussed outpatient follow-up after discharge.',
    signedAt: { day: daysAgo(18), time: '16:45' },
    parentNoteId: null,
  },
  {
    id: n.jamesSafetyPlan,
    caseId: DEMO_CASE_IDS.james,
    authorId: casey,
    type: 'contact',
    contactDay: daysAgo(10),
    contactTime: '15:00',
    durationMinutes: 40,
    body:
      'Reviewed the safety plan with James by video. He names his sister and the crisis line as ' +
      'supports. Medication review with the psychiatrist still to be scheduled.',
    signedAt: { day: daysAgo(10), time: '17:00' },
    parentNoteId: null,
  },
];

export interface DemoIntervention {
  id: string;
  description: string;
  responsibleParty: string;
  frequency: string;
  status: InterventionStatus;
}
export interface DemoObjective {
  id: string;
  description: string;
  targetDate: string | null;
  status: GoalStatus;
  interventions: DemoIntervention[];
}
export interface DemoGoal {
  id: string;
  description: string;
  targetDate: string | null;
  status: GoalStatus;
  objectives: DemoObjective[];
}
export interface DemoPlan {
  id: string;
  caseId: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  goals: DemoGoal[];
  /** Both signatures (client, then worker) put it in force; null leaves it a draft. */
  signed: { clientSigner: string; on: string; workerSignedTime: string } | null;
  review: {
    id: string;
    on: string;
    summary: string;
    ratings: { goalId: string; rating: ProgressRating; note: string }[];
    /** Objectives the review marked achieved. */
    achieved: string[];
  } | null;
}

export const DEMO_PLAN_IDS = { maria: demoId('cd201'), james: demoId('cd202') } as const;

export const DEMO_PLANS: readonly DemoPlan[] = [
  {
    id: DEMO_PLAN_IDS.maria,
    caseId: DEMO_CASE_IDS.maria,
    effectiveFrom: '2026-01-19',
    effectiveTo: '2027-01-18',
    signed: { clientSigner: 'Maria Hernandez', on: '2026-01-19', workerSignedTime: '11:00' },
    goals: [
      {
        id: demoId('cd211'),
        description: 'Maria sleeps and feels well enough to manage her days.',
        targetDate: '2026-12-31',
        status: 'in_progress',
        objectives: [
          {
            id: demoId('cd221'),
            description: 'Sleeps at least six hours on five nights a week (sleep log).',
            targetDate: '2026-06-30',
            status: 'in_progress',
            interventions: [
              {
                id: demoId('cd231'),
                description: 'Individual therapy (CBT for insomnia and depression).',
                responsibleParty: 'Ana Ruiz, PsyD',
                frequency: 'Weekly',
                status: 'in_progress',
              },
            ],
          },
          {
            id: demoId('cd222'),
            description: 'Uses two coping skills from her safety plan when distressed.',
            targetDate: '2026-12-31',
            status: 'in_progress',
            interventions: [
              {
                id: demoId('cd232'),
                description: 'Review the safety plan and coping skills at each contact.',
                responsibleParty: 'Case manager',
                frequency: 'Every contact',
                status: 'in_progress',
              },
            ],
          },
        ],
      },
      {
        id: demoId('cd212'),
        description: 'Maria returns to paid work.',
        targetDate: '2026-12-31',
        status: 'in_progress',
        objectives: [
          {
            id: demoId('cd223'),
            description: 'Sends at least two job applications a month.',
            targetDate: '2026-12-31',
            status: 'in_progress',
            interventions: [
              {
                id: demoId('cd233'),
                description: 'Referral to the Job Center of Wisconsin; help with her résumé.',
                responsibleParty: 'Case manager',
                frequency: 'Monthly',
                status: 'in_progress',
              },
            ],
          },
        ],
      },
    ],
    review: {
      id: demoId('cd241'),
      on: '2026-07-20',
      summary: 'Six-month review: sleep much improved; job search under way.',
      ratings: [
        { goalId: demoId('cd211'), rating: 'significant_progress', note: 'Sleep log target met since May.' },
        { goalId: demoId('cd212'), rating: 'some_progress', note: 'Résumé done; first applications sent.' },
      ],
      achieved: [demoId('cd221')],
    },
  },
  {
    id: DEMO_PLAN_IDS.james,
    caseId: DEMO_CASE_IDS.james,
    effectiveFrom: daysAgo(4),
    effectiveTo: null,
    signed: null,
    goals: [
      {
        id: demoId('cd213'),
        description: 'James stays safe and stable after leaving the Crisis Stabilization Center.',
        targetDate: addDays(DEMO_STORY_DAY, 90),
        status: 'not_started',
        objectives: [
          {
            id: demoId('cd224'),
            description: 'Keeps weekly outpatient appointments for the first two months.',
            targetDate: addDays(DEMO_STORY_DAY, 60),
            status: 'not_started',
            interventions: [
              {
                id: demoId('cd234'),
                description: 'Outpatient counseling and a psychiatric medication review.',
                responsibleParty: 'Marcus Lee, LCSW',
                frequency: 'Weekly',
                status: 'planned',
              },
            ],
          },
        ],
      },
    ],
    review: null,
  },
];

export interface DemoTask {
  id: string;
  caseId: string;
  title: string;
  type: TaskType;
  dueOn: string;
  assignedTo: string | null;
  createdBy: string;
}

/** Tasks people made (the contact tasks come from the contact policy). */
export const DEMO_TASKS: readonly DemoTask[] = [
  {
    id: demoId('cd301'),
    caseId: DEMO_CASE_IDS.maria,
    title: 'Annual service plan review with Maria',
    type: 'review',
    dueOn: '2027-01-18',
    assignedTo: casey,
    createdBy: casey,
  },
  {
    id: demoId('cd302'),
    caseId: DEMO_CASE_IDS.james,
    title: 'Schedule the psychiatric medication review',
    type: 'other',
    dueOn: addDays(DEMO_STORY_DAY, 14),
    assignedTo: casey,
    createdBy: casey,
  },
];
