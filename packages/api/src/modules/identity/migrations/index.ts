import type { ModuleMigrations } from '../../../platform/database/migrations.js';

export const identityMigrations: ModuleMigrations[] = [];
