import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FORM_ALLOWANCE_BYTES } from '../../src/modules/documents/multipart-upload.js';
import {
  CONFIG_KEYS,
  loadConfig,
  SERVICE_NAMES,
  type ServiceName,
} from '../../src/platform/config/config.js';

/**
 * The deployment artefacts under deploy/, checked without Docker or a cluster: every service the
 * server knows is deployed on its seed port everywhere, the manifests only set variables the
 * server reads, the image starts what the build produces, and no secret is written down.
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');

/** The seed's ports (docs/architecture.md). */
const SEED_PORTS: Record<ServiceName, number> = {
  identity: 3001,
  clients: 3002,
  cases: 3003,
  scheduling: 3004,
  billing: 3005,
  providers: 3006,
  documents: 3007,
  reporting: 3008,
  integration: 3009,
  notifications: 3010,
  audit: 3011,
};

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(CONFIG_KEYS);
const INFRASTRUCTURE = ['postgres', 'redis', 'rabbitmq', 'minio', 'minio-init', 'kong'];

describe('deployment manifests', () => {
  it('every YAML file under deploy/ parses', () => {
    const files = filesUnder(DEPLOY).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const problems = files.flatMap((f) =>
      parseAllDocuments(readFileSync(f, 'utf8'), { merge: true }).flatMap((d) =>
        d.errors.map((e) => `${relative(ROOT, f)}: ${e.message}`),
      ),
    );
    expect(problems).toEqual([]);
  });

  it('has a seed port for exactly the services the server knows', () => {
    expect(Object.keys(SEED_PORTS).sort()).toEqual([...SERVICE_NAMES].sort());
  });

  describe('compose', () => {
    const compose = record(loadYaml('compose.yaml')[0]);
    const services = record(compose.services);

    it('runs PostgreSQL 16, Redis 7, RabbitMQ 3 with management, and Kong 3 in DB-less mode', () => {
      expect(str(record(services.postgres).image)).toMatch(/^postgres:16\b/);
      expect(str(record(services.redis).image)).toMatch(/^redis:7\b/);
      expect(str(record(services.rabbitmq).image)).toMatch(/^rabbitmq:3[.-].*management/);
      const kong = record(services.kong);
      expect(str(kong.image)).toMatch(/^kong:3\b/);
      expect(envOf(kong)).toMatchObject({ KONG_DATABASE: 'off', KONG_DECLARATIVE_CONFIG: '/kong/kong.yml' });
      expect(list(kong.volumes)).toContain('./kong/kong.yml:/kong/kong.yml:ro');
    });

    it('starts the one EHRMS image once per service, on its seed port', () => {
      expect(Object.keys(services).sort()).toEqual([...INFRASTRUCTURE, ...SERVICE_NAMES].sort());
      const images = new Set<string>();
      for (const name of SERVICE_NAMES) {
        const service = record(services[name]);
        images.add(str(service.image));
        expect(record(service.build).dockerfile, name).toBe('deploy/Dockerfile');
        expect(envOf(service), name).toMatchObject({
          EHRMS_SERVICES: name,
          PORT: String(SEED_PORTS[name]),
          NODE_ENV: 'production',
          SEED_DEMO_DATA: 'false',
        });
        // Only identity holds the private signing key; the others verify with its JWKS.
        const tokenKeys = name === 'identity' ? 'JWT_SIGNING_KEYS' : 'JWKS_URL';
        expect(
          name === 'identity' ? undefined : envOf(service).JWT_SIGNING_KEYS,
          `${name} holds no private key`,
        ).toBeUndefined();
        for (const needed of [
          'DATABASE_URL',
          'REDIS_URL',
          'AMQP_URL',
          tokenKeys,
          'FIELD_ENCRYPTION_KEYS',
          'BLIND_INDEX_KEY',
        ]) {
          expect(envOf(service)[needed], `${name} ${needed}`).toBeTruthy();
        }
      }
      expect(images.size).toBe(1);
    });

    it('keeps documents in MinIO, reached as a bucket-only user made before documents starts', () => {
      const documents = record(services.documents);
      expect(envOf(documents)).toMatchObject({
        BLOB_STORE: 's3',
        S3_ENDPOINT: 'http://minio:9000',
        S3_BUCKET: 'ehrms-documents',
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'ehrms-documents',
      });
      expect(record(record(documents.depends_on)['minio-init']).condition).toBe(
        'service_completed_successfully',
      );
      const init = list(record(services['minio-init']).entrypoint).map(str).join('\n');
      expect(init).toContain('mc mb --ignore-existing ehrms/ehrms-documents');
      expect(init).toMatch(/mc admin user add ehrms ehrms-documents/);
      expect(init).toContain('arn:aws:s3:::ehrms-documents/*');
      for (const name of ['minio', 'minio-init']) {
        expect(str(record(services[name]).image), `${name} image is pinned`).toMatch(/:RELEASE\.\d{4}-/);
      }
      expect(Object.keys(record(compose.volumes))).toContain('minio-data');
    });

    it('sets only variables the server reads', () => {
      const unknown = SERVICE_NAMES.flatMap((name) =>
        Object.keys(envOf(record(services[name])))
          .filter((key) => !KNOWN_VARIABLES.has(key))
          .map((key) => `${name}: ${key}`),
      );
      expect(unknown).toEqual([]);
    });
  });

  describe('kong', () => {
    const kong = record(loadYaml('kong/kong.yml')[0]);
    const routes = kongRoutes(kong);

    it('sends /api/v1/<module> to the service that owns it, and /.well-known to identity', () => {
      const kongServices = list(kong.services).map(record);
      for (const name of SERVICE_NAMES) {
        const service = kongServices.find((s) => s.name === name);
        expect(service, name).toBeDefined();
        expect(str(service?.url), name).toBe(`http://${name}:${SEED_PORTS[name]}`);
        expect(routeFor(routes, `/api/v1/${name}/anything`)?.service, name).toBe(name);
        expect(routeFor(routes, `/api/v1/${name}`)?.stripPath, name).toBe(false);
      }
      expect(routeFor(routes, '/api/v1/identity/auth/login')?.service).toBe('identity');
      expect(routeFor(routes, '/.well-known/jwks.json')?.service).toBe('identity');
      expect(routeFor(routes, '/.well-known/openid-configuration')?.service).toBe('identity');
    });

    it('lets a document upload of the largest allowed file through, form fields and framing included', () => {
      const documentsRoute = list(
        record(
          list(kong.services)
            .map(record)
            .find((svc) => svc.name === 'documents'),
        ).routes,
      ).map(record)[0];
      const limit = list(documentsRoute?.plugins)
        .map(record)
        .find((p) => p.name === 'request-size-limiting');
      const largestUpload = loadConfig({}).DOCUMENT_MAX_BYTES + FORM_ALLOWANCE_BYTES;
      expect(sizeLimitBytes(limit)).toBeGreaterThanOrEqual(largestUpload);
      // …and not a great deal more: the service refuses the rest anyway, after reading it.
      expect(sizeLimitBytes(limit)).toBeLessThan(largestUpload + 4 * 1024 * 1024);
    });

    it('never forwards /metrics or /health', () => {
      for (const path of ['/metrics', '/health/ready', '/health/live']) {
        const route = routeFor(routes, path);
        expect(route?.plugins, path).toContain('request-termination');
      }
    });

    it('tags requests with X-Request-Id, limits rate and body size, and leaves CORS off', () => {
      const plugins = list(kong.plugins).map(record);
      const named = (n: string) => plugins.find((p) => p.name === n);
      expect(record(named('correlation-id')?.config)).toMatchObject({
        header_name: 'X-Request-Id',
        // The services accept only [A-Za-z0-9._-] ids; the default `uuid#counter` has a '#'.
        generator: 'uuid',
        echo_downstream: true,
      });
      expect(named('rate-limiting')).toBeDefined();
      // The global limit lets through what the services accept as a JSON body.
      const defaults = loadConfig({});
      expect(sizeLimitBytes(named('request-size-limiting'))).toBeGreaterThanOrEqual(
        defaults.BODY_LIMIT_BYTES,
      );
      expect(named('request-size-limiting')).toBeDefined();
      const everyPlugin = [...plugins.map((p) => str(p.name)), ...routes.flatMap((r) => r.plugins)];
      expect(everyPlugin).not.toContain('cors');
    });
  });

  describe('kubernetes', () => {
    const kustomization = record(loadYaml('kubernetes/kustomization.yaml')[0]);
    const resources = list(kustomization.resources).map(str);
    const objects = resources.flatMap((file) => loadYaml(`kubernetes/${file}`).map(record));
    const find = (kind: string, name: string) =>
      objects.find((o) => o.kind === kind && record(o.metadata).name === name);

    it('lists every manifest in kustomization.yaml, and carries an identical copy of the Kong config', () => {
      for (const file of resources) expect(existsSync(join(DEPLOY, 'kubernetes', file)), file).toBe(true);
      const notListed = filesUnder(join(DEPLOY, 'kubernetes'))
        .map((f) => relative(join(DEPLOY, 'kubernetes'), f))
        .filter((f) => f.endsWith('.yaml'))
        .filter((f) => !['kustomization.yaml', 'secret.template.yaml'].includes(f) && !resources.includes(f));
      expect(notListed).toEqual([]);
      expect(
        readFileSync(join(DEPLOY, 'kubernetes/kong.yml'), 'utf8'),
        'deploy/kubernetes/kong.yml is stale: run `node deploy/kubernetes/render.mjs`',
      ).toBe(readFileSync(join(DEPLOY, 'kong/kong.yml'), 'utf8'));
    });

    it('has a Deployment and a Service per service, on its seed port, probed and locked down', () => {
      for (const name of SERVICE_NAMES) {
        const port = SEED_PORTS[name];
        const deployment = find('Deployment', name);
        expect(deployment, `Deployment ${name}`).toBeDefined();
        const pod = record(record(record(deployment?.spec).template).spec);
        expect(record(pod.securityContext).runAsNonRoot, name).toBe(true);
        const container = record(list(pod.containers)[0]);
        expect(list(container.ports).map(record)[0]?.containerPort, name).toBe(port);
        expect(envEntries(container), name).toMatchObject({ EHRMS_SERVICES: name, PORT: String(port) });
        // The private signing key reaches identity alone, from its own Secret; the rest use JWKS.
        const env = envEntries(container);
        if (name === 'identity') {
          const signing = list(container.env)
            .map(record)
            .find((e) => e.name === 'JWT_SIGNING_KEYS');
          expect(record(record(signing?.valueFrom).secretKeyRef).name).toBe('ehrms-signing-key');
        } else {
          expect(env.JWKS_URL, name).toMatch(/^http:\/\/identity:3001\/\.well-known\/jwks\.json$/);
          expect(env.JWT_SIGNING_KEYS, name).toBeUndefined();
        }
        expect(record(record(container.readinessProbe).httpGet).path, name).toBe('/health/ready');
        expect(record(record(container.livenessProbe).httpGet).path, name).toBe('/health/live');
        const resourcesOf = record(container.resources);
        expect(Object.keys(record(resourcesOf.requests)), name).toEqual(
          expect.arrayContaining(['cpu', 'memory']),
        );
        expect(record(resourcesOf.limits).memory, name).toBeDefined();
        const security = record(container.securityContext);
        expect(security, name).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
        });

        const service = find('Service', name);
        expect(service, `Service ${name}`).toBeDefined();
        const servicePort = record(list(record(service?.spec).ports)[0]);
        expect(servicePort.port, name).toBe(port);
        expect([port, 'http'], name).toContain(servicePort.targetPort);
        expect(find('PodDisruptionBudget', name), `PodDisruptionBudget ${name}`).toBeDefined();
      }
      expect(find('HorizontalPodAutoscaler', 'identity')).toBeDefined();
    });

    it('enters through an Ingress to Kong, behind a default-deny NetworkPolicy, in its own namespace', () => {
      expect(kustomization.namespace).toBe('ehrms');
      expect(objects.some((o) => o.kind === 'Namespace')).toBe(true);
      const ingress = objects.find((o) => o.kind === 'Ingress');
      expect(JSON.stringify(ingress?.spec)).toContain('"name":"kong"');
      expect(find('Deployment', 'kong')).toBeDefined();
      expect(find('Service', 'kong')).toBeDefined();
      const deny = objects.find(
        (o) => o.kind === 'NetworkPolicy' && Object.keys(record(record(o.spec).podSelector)).length === 0,
      );
      expect(deny).toBeDefined();
    });

    it('keeps documents in the S3 bucket, with its endpoint and key from the Secret', () => {
      const pod = record(record(record(find('Deployment', 'documents')?.spec).template).spec);
      expect(envEntries(record(list(pod.containers)[0]))).toMatchObject({
        BLOB_STORE: 's3',
        S3_BUCKET: 'ehrms-documents',
      });
      const secretTemplate = record(record(loadYaml('kubernetes/secret.template.yaml')[0]).stringData);
      expect(Object.keys(secretTemplate)).toEqual(
        expect.arrayContaining(['S3_REGION', 'S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']),
      );
    });

    it('sets only variables the server reads', () => {
      const configMap = record(find('ConfigMap', 'ehrms-config')?.data);
      const secretTemplate = record(loadYaml('kubernetes/secret.template.yaml')[0]);
      const set = [
        ...Object.keys(configMap),
        ...Object.keys(record(secretTemplate.stringData)),
        ...SERVICE_NAMES.flatMap((name) => {
          const pod = record(record(record(find('Deployment', name)?.spec).template).spec);
          return list(pod.containers).flatMap((c) => Object.keys(envEntries(record(c))));
        }),
      ];
      expect(set.filter((key) => !KNOWN_VARIABLES.has(key))).toEqual([]);
    });
  });

  describe('Dockerfile', () => {
    const dockerfile = readFileSync(join(DEPLOY, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

    it('starts the server the API build writes', () => {
      const build = JSON.parse(readFileSync(join(ROOT, 'packages/api/tsconfig.build.json'), 'utf8')) as {
        compilerOptions: { outDir: string; rootDir: string };
      };
      const { outDir, rootDir } = build.compilerOptions;
      expect(existsSync(join(ROOT, 'packages/api', rootDir, 'main.ts'))).toBe(true);
      const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
      expect(cmd).toBeDefined();
      expect(JSON.parse(cmd ?? '[]')).toEqual(['node', `packages/api/${outDir}/main.js`]);
      expect(runtime).toContain(`/packages/api/${outDir} ./packages/api/${outDir}`);
      expect(runtime).toContain('/packages/web/dist ./packages/web/dist');
    });

    it('runs Node 20 as a numeric non-root user in production mode, with a liveness check', () => {
      expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
      const user = /^USER (\S+)$/m.exec(runtime)?.[1] ?? 'root';
      expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
      expect(runtime).toMatch(/NODE_ENV=production/);
      expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/health\/live/m);
      const envKeys = [...runtime.matchAll(/\b([A-Z][A-Z0-9_]+)=/g)]
        .map((m) => m[1] ?? '')
        .filter((k) => !['NODE_IMAGE', 'NPM_VERSION'].includes(k));
      expect(envKeys.filter((k) => !KNOWN_VARIABLES.has(k))).toEqual([]);
    });
  });

  it('writes down no secret: keys and passwords come from the environment or a Secret', () => {
    const findings: string[] = [];
    for (const file of filesUnder(DEPLOY)) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) findings.push(`${where}: a private key`);
      for (const m of text.matchAll(/[A-Za-z0-9+/]{40,}={0,2}/g))
        findings.push(`${where}: base64 ${m[0].slice(0, 8)}…`);
      for (const m of text.matchAll(/[a-z][a-z0-9+]*:\/\/[^\s:/@'"]+:([^\s@'"]+)@/g)) {
        if (!/^(\$\{|<)/.test(m[1] ?? '')) findings.push(`${where}: a password in a URL`);
      }
    }
    const compose = record(record(loadYaml('compose.yaml')[0]).services);
    for (const [name, service] of Object.entries(compose)) {
      for (const [key, value] of Object.entries(envOf(record(service)))) {
        if (
          /(PASSWORD|_PASS|SECRET|_KEYS?|_TOKEN)$/.test(key) &&
          !/^\$\{[A-Z][A-Z0-9_]*(:\?[^}]*)?\}$/.test(value)
        )
          findings.push(`compose ${name}: ${key} is not taken from the environment`);
      }
    }
    const secretTemplate = record(record(loadYaml('kubernetes/secret.template.yaml')[0]).stringData);
    for (const [key, value] of Object.entries(secretTemplate)) {
      if (value !== 'REPLACE_ME') findings.push(`secret.template.yaml: ${key} has a value`);
    }
    const envExample = readFileSync(join(DEPLOY, '.env.example'), 'utf8');
    for (const m of envExample.matchAll(/^([A-Z0-9_]*(?:PASSWORD|SECRET|KEYS?))=(.+)$/gm)) {
      findings.push(`.env.example: ${m[1] ?? ''} has a value`);
    }
    expect(findings).toEqual([]);
  });

  it('the operator guide documents every variable the server reads', () => {
    const guide = readFileSync(join(ROOT, 'docs/operations.md'), 'utf8');
    const missing = CONFIG_KEYS.filter((key) => !guide.includes(`| \`${key}\``));
    expect(missing).toEqual([]);
  });
});

// ---- helpers -------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function loadYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(join(DEPLOY, path), 'utf8'), { merge: true }).map((d) => d.toJS());
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** A compose service's environment, in either of compose's two spellings. */
function envOf(service: Json): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const [key = '', ...rest] = str(line).split('=');
        return [key, rest.join('=')];
      }),
    );
  }
  return Object.fromEntries(Object.entries(record(env)).map(([k, v]) => [k, str(v)]));
}

/** What a Kong request-size-limiting plugin allows, in bytes (Kong's megabytes are MiB). */
function sizeLimitBytes(plugin: Json | undefined): number {
  const config = record(plugin?.config);
  const unit = { bytes: 1, kilobytes: 1024, megabytes: 1024 * 1024 }[str(config.size_unit ?? 'megabytes')];
  return Number(config.allowed_payload_size) * (unit ?? Number.NaN);
}

/** A Kubernetes container's literal `env` entries. */
function envEntries(container: Json): Record<string, string> {
  return Object.fromEntries(
    list(container.env)
      .map(record)
      .map((e) => [str(e.name), e.value === undefined ? '' : str(e.value)]),
  );
}

type KongRoute = {
  name: string;
  service: string | null;
  paths: string[];
  stripPath: boolean;
  plugins: string[];
};

function kongRoutes(kong: Json): KongRoute[] {
  const toRoute = (r: Json, service: string | null): KongRoute => ({
    name: str(r.name),
    service,
    paths: list(r.paths).map(str),
    stripPath: r.strip_path !== false,
    plugins: list(r.plugins).map((p) => str(record(p).name)),
  });
  return [
    ...list(kong.services)
      .map(record)
      .flatMap((s) => list(s.routes).map((r) => toRoute(record(r), str(s.name)))),
    ...list(kong.routes).map((r) => toRoute(record(r), record(r).service ? str(record(r).service) : null)),
  ];
}

/** Kong's choice for a plain (non-regex) path: the route with the longest matching prefix. */
function routeFor(routes: KongRoute[], path: string): KongRoute | undefined {
  let best: { route: KongRoute; length: number } | undefined;
  for (const route of routes) {
    for (const prefix of route.paths) {
      if (path.startsWith(prefix) && prefix.length > (best?.length ?? -1))
        best = { route, length: prefix.length };
    }
  }
  return best?.route;
}
