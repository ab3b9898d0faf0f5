import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { clientsCoreMigration } from './0001_clients_core.js';
import { clientDetailsMigration } from './0002_client_details.js';
import { clientSearchAndMergesMigration } from './0003_client_search_and_merges.js';
import { consentsBreakGlassMigration } from './0004_consents_break_glass.js';

export const clientsMigrations: ModuleMigrations[] = [
  {
    schema: 'clients',
    migrations: {
      '0001_clients_core': clientsCoreMigration,
      '0002_client_details': clientDetailsMigration,
      '0003_client_search_and_merges': clientSearchAndMergesMigration,
      '0004_consents_break_glass': consentsBreakGlassMigration,
    },
  },
];
