import { expect } from 'vitest';
import { addDays } from '../../src/modules/cases/contact-policy.js';
import { agencyToday } from '../../src/platform/time/agency-today.js';
import { OutboxDispatcher } from '../../src/platform/events/outbox-dispatcher.js';
import type { TestApp } from '../support/test-app.js';
import { CASES } from './cases-helpers.js';

export interface TaskView {
  id: string;
  caseId: string;
  title: string;
  type: string;
  source: 'policy' | 'manual';
  dueOn: string;
  basisOn: string | null;
  assignedTo: string | null;
  status: 'open' | 'done' | 'cancelled';
  overdue: boolean;
  completedAt: string | null;
  completedBy: string | null;
  version: number;
}

export interface PlanView {
  id: string;
  caseId: string;
  planNumber: number;
  status: 'draft' | 'active' | 'completed' | 'superseded';
  effectiveFrom: string;
  effectiveTo: string | null;
  supersedesPlanId: string | null;
  clientSignature: {
    signerName: string;
    signedOn: string;
    method: string;
    witnessName: string | null;
  } | null;
  workerSignature: { userId: string; signedAt: string } | null;
  locked: boolean;
  activatedAt: string | null;
  endedOn: string | null;
  version: number;
  goals: {
    id: string;
    description: string;
    status: string;
    objectives: {
      id: string;
      description: string;
      status: string;
      interventions: {
        id: string;
        description: string;
        responsibleParty: string;
        frequency: string;
        status: string;
      }[];
    }[];
  }[];
}

/** A YYYY-MM-DD date `days` from today (negative: in the past). */
export function daysFromToday(days: number): string {
  return addDays(agencyToday(), days);
}

/** Delivers every pending event to the in-process subscribers (care team, contact schedule). */
export function flush(t: TestApp): Promise<void> {
  return t.app.get(OutboxDispatcher).flush();
}

/** A complete plan document: one goal, one objective, one intervention (unless said). */
export function planDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    effectiveFrom: agencyToday(),
    goals: [
      {
        description: 'Stable housing within six months',
        objectives: [
          {
            description: 'Apply to two housing programs',
            interventions: [
              {
                description: 'Help complete applications',
                responsibleParty: 'Case manager',
                frequency: 'Weekly',
              },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

/** The case's tasks (all statuses), open first. */
export async function tasksOf(t: TestApp, token: string, caseId: string): Promise<TaskView[]> {
  const res = await t.http.request({ method: 'GET', url: `${CASES}/${caseId}/tasks`, token });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: TaskView[] }>().items;
}

/** The case's open contact task kept by the policy (fails the test when there is none). */
export async function contactTask(t: TestApp, token: string, caseId: string): Promise<TaskView> {
  const open = (await tasksOf(t, token, caseId)).filter(
    (task) => task.source === 'policy' && task.status === 'open',
  );
  expect(open, 'one open contact task').toHaveLength(1);
  return open[0] as TaskView;
}
