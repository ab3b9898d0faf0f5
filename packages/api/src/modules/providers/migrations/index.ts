import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { providersTablesMigration } from './0001_providers_tables.js';

export const providersMigrations: ModuleMigrations[] = [
  { schema: 'providers', migrations: { '0001_providers_tables': providersTablesMigration } },
];
