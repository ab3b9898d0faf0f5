import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';

/**
 * Each module owns one PostgreSQL schema and its own migration list, recorded in that schema's
 * own migration table, so modules can be added or split into services without reordering
 * anyone else's history.
 */
export interface ModuleMigrations {
  schema: string;
  migrations: Record<string, Migration>;
}

export const MODULE_MIGRATIONS = Symbol('MODULE_MIGRATIONS');

export async function migrateModules<DB>(db: Kysely<DB>, modules: ModuleMigrations[]): Promise<void> {
  for (const mod of modules) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(mod.schema)}`.execute(db);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve(mod.migrations) },
      migrationTableSchema: mod.schema,
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      const what = failed ? `${mod.schema}/${failed.migrationName}` : mod.schema;
      throw new Error(
        `Migration failed for ${what}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
}
