import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { openDatabase } from '../../src/platform/database/database.js';
import { generateSecrets } from '../../src/platform/crypto/dev-secrets.js';
import { testConfig } from './test-config.js';

export const TMP = '.test-tmp';

/**
 * Builds one migrated, demo-seeded database per test run; every test file then gets its own copy
 * (a `CREATE DATABASE … TEMPLATE` on PostgreSQL, a loaded data dir on PGlite) in well under a
 * second instead of migrating from scratch.
 */
export default async function setup({
  provide,
}: {
  provide: (key: 'secrets' | 'pgTemplate' | 'pgliteTemplate', value: string) => void;
}) {
  mkdirSync(TMP, { recursive: true });
  const secrets = await generateSecrets();
  provide('secrets', JSON.stringify(secrets));
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `ehrms_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const templateUrl = withDatabase(url, template);
    const running = await createApp({
      config: testConfig({ ...secrets, DATABASE_URL: templateUrl }),
      ephemeralSecrets: true,
    });
    await running.close();
    provide('pgTemplate', template);
    provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    };
  }
  const database = await openDatabase({});
  const running = await createApp({ config: testConfig(secrets), database, ephemeralSecrets: true });
  await running.close();
  if (!database.pglite) throw new Error('expected the embedded engine');
  const dump = await database.pglite.dumpDataDir('none');
  const file = join(TMP, `pglite-template-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  provide('pgTemplate', '');
  provide('pgliteTemplate', file);
  return () => rmSync(file, { force: true });
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
