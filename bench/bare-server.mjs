// The baseline for bench/read-path.mjs: Fastify and pg with nothing else (no Nest, no auth, no
// audit, no logging), reading the same user row by primary key. Started as a child process:
//
//   DATABASE_URL=postgres://… PORT=4000 POOL_MAX=20 node bench/bare-server.mjs
//
// Prints `listening <port>` when ready.
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 20),
  application_name: 'ehrms-bench-bare',
});
const app = Fastify({ logger: false });

app.get('/users/:id', async (req, reply) => {
  const { rows } = await pool.query(
    `SELECT id, agency_id, email, display_name, status, version, created_at, updated_at
       FROM identity.users WHERE id = $1`,
    [req.params.id],
  );
  const row = rows[0];
  if (!row) return reply.code(404).send({ status: 404 });
  return reply.header('etag', `"${row.version}"`).send({
    id: row.id,
    agencyId: row.agency_id,
    email: row.email,
    displayName: row.display_name,
    status: row.status,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
});

const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening ${app.server.address().port}`);
