import type { ModuleMigrations } from '../../../platform/database/migrations.js';
import { providersTablesMigration } from './0001_providers_tables.js';
import { providerLocationsServicesContractsMigration } from './0002_provider_locations_services_contracts.js';

export const providersMigrations: ModuleMigrations[] = [
  {
    schema: 'providers',
    migrations: {
      '0001_providers_tables': providersTablesMigration,
      '0002_provider_locations_services_contracts': providerLocationsServicesContractsMigration,
    },
  },
];
