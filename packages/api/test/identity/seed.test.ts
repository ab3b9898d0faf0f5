import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type RunningApp } from '../../src/app.js';
import { DEMO_USERS } from '../../src/modules/identity/demo.js';
import { identityBanner, seedIdentityDemo } from '../../src/modules/identity/identity.seed.js';
import { ROLE_CATALOG } from '../../src/modules/identity/roles.catalog.js';
import { openDatabase, type DatabaseHandle } from '../../src/platform/database/database.js';
import { withDatabase } from '../support/global-setup.js';
import { testConfig } from '../support/test-config.js';
import { identityDb } from './identity-helpers.js';

/** An empty database (no template): what a first `npm start` sees. */
async function emptyDatabase(): Promise<{ database: DatabaseHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) return { database: await openDatabase({}), drop: async () => {} };
  const name = `ehrms_seed_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    database: await openDatabase({ databaseUrl: withDatabase(url, name), poolMax: 4 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

describe('identity start-up', () => {
  let running: RunningApp;
  let database: DatabaseHandle;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await emptyDatabase());
    const secrets = JSON.parse(inject('secrets')) as Record<string, string>;
    running = await createApp({
      config: testConfig({ ...secrets, SEED_DEMO_DATA: 'false' }),
      database,
      ephemeralSecrets: true,
    });
  });
  afterAll(async () => {
    await running.close();
    await database.close();
    await drop();
  });

  const count = async (table: 'identity.users' | 'identity.roles' | 'identity.teams') =>
    Number(
      (
        await identityDb(running)
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('without demo data, still has every role but no users, and prints no demo logins', async () => {
    expect(await count('identity.roles')).toBe(ROLE_CATALOG.length);
    expect(await count('identity.users')).toBe(0);
    expect(identityBanner(running.config)).toEqual([]);
  });

  it('loads the demo agency once, prints its logins and admin TOTP secrets, and is idempotent', async () => {
    const config = { ...running.config, SEED_DEMO_DATA: true };
    await seedIdentityDemo(running.app, config);
    expect(await count('identity.users')).toBe(DEMO_USERS.length);
    expect(await count('identity.teams')).toBe(4);
    const banner = identityBanner(config).join('\n');
    expect(banner).toContain('case-manager@demo.ehrms.local');
    expect(banner).toContain(DEMO_USERS.find((u) => u.role === 'system_admin')?.totpSecret);

    await seedIdentityDemo(running.app, config);
    expect(await count('identity.users')).toBe(DEMO_USERS.length);
  });
});
