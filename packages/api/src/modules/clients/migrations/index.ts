import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { clientsCoreMigration } from './0001_clients_core.js';

export const clientsMigrations: ModuleMigrations[] = [
  { schema: 'clients', migrations: { '0001_clients_core': clientsCoreMigration } },
];
