import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { casesAndNotesMigration } from './0001_cases_and_notes.js';
import { plansClosureReferralsTasksMigration } from './0002_plans_closure_referrals_tasks.js';

export const casesMigrations: ModuleMigrations[] = [
  {
    schema: 'cases',
    migrations: {
      '0001_cases_and_notes': casesAndNotesMigration,
      '0002_plans_closure_referrals_tasks': plansClosureReferralsTasksMigration,
    },
  },
];
