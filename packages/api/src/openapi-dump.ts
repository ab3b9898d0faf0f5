import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.js';
import { loadConfig } from './platform/config/config.js';
import { openDatabase } from './platform/database/database.js';
import { routeCatalog } from './platform/http/route-catalog.js';
import { buildOpenApiDocument } from './platform/openapi/openapi-document.js';

/**
 * `node dist/openapi-dump.js [file]`: the OpenAPI document of every service (EHRMS_SERVICES=all),
 * built on a throwaway in-memory PGlite, printed to stdout or written to `file`. Ignores the
 * environment, so the document is the same on every machine. Used by `npm run sdk:generate`.
 */
async function dump(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ehrms-openapi-'));
  try {
    const config = loadConfig({
      NODE_ENV: 'development',
      EHRMS_SERVICES: 'all',
      DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
    });
    const database = await openDatabase({});
    const running = await createApp({ config, database, ephemeralSecrets: true });
    const json = JSON.stringify(buildOpenApiDocument(routeCatalog(running.app)), null, 2) + '\n';
    await running.close();
    await database.close();
    const out = process.argv[2];
    if (out) writeFileSync(out, json);
    else
      await new Promise<void>((resolve, reject) =>
        process.stdout.write(json, (e) => (e ? reject(e) : resolve())),
      );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

dump().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('openapi-dump failed:', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
