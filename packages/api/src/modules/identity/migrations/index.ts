import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { identityTablesMigration } from './0001_identity_tables.js';

export const identityMigrations: ModuleMigrations[] = [
  { schema: 'identity', migrations: { '0001_identity_tables': identityTablesMigration } },
];
