import { createApp } from './app.js';
import { ConfigError, loadConfig } from './platform/config/config.js';

/** `npm start`: load config, migrate, seed on first start, listen, and say where. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const started = Date.now();
  const running = await createApp({ config });
  await running.app.listen({ port: config.PORT, host: config.HOST });
  const url = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const engine =
    running.database.engine === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}` : 'PostgreSQL';
  const lines = [
    '',
    `EHRMS is running at ${url}  (${engine}; ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    `  web app     ${url}/`,
    `  API docs    ${url}/api/docs`,
    `  health      ${url}/health/ready`,
    `  metrics     ${url}/metrics`,
  ];
  for (const feature of running.features) {
    const banner = feature.banner?.(running.config);
    if (banner) lines.push('', ...banner);
  }
  console.log(lines.join('\n') + '\n');
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main().catch((err: unknown) => {
  console.error('EHRMS failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
