import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { documentsMigration } from './0001_documents.js';

export const documentsMigrations: ModuleMigrations[] = [
  { schema: 'documents', migrations: { '0001_documents': documentsMigration } },
];
