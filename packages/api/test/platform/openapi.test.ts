import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { routeCatalog, type RouteInfo } from '../../src/platform/http/route-catalog.js';
import {
  buildOpenApiDocument,
  type OpenApiDocument,
  type OpenApiOperation,
} from '../../src/platform/openapi/openapi-document.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const SDK_DOCUMENT = new URL('../../../sdk/openapi.json', import.meta.url);
const SDK_TYPES = new URL('../../../sdk/src/schema.d.ts', import.meta.url);
const REGENERATE =
  'packages/sdk/openapi.json is out of date with the API routes. Run `npm run sdk:generate` and commit ' +
  'packages/sdk/openapi.json and packages/sdk/src/schema.d.ts.';

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let operations: { method: string; path: string; op: OpenApiOperation }[];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.request({ method: 'GET', url: '/api/docs/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    doc = res.json<OpenApiDocument>();
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method, path, op })),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('is an OpenAPI 3.1 document anyone may fetch, with a unique operationId and responses on every operation', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'EHRMS API', version: expect.any(String) });
    expect(operations.length).toBeGreaterThan(0);
    for (const { method, path, op } of operations) {
      expect(path, `${method} ${path}`).toMatch(/^\/[^:]*$/);
      expect(op.operationId, `${method} ${path}`).toMatch(/^[A-Za-z0-9_]+$/);
      expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(1);
      expect(op.tags, `${method} ${path}`).toHaveLength(1);
    }
    const ids = operations.map((o) => o.op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(doc.tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(['identity', 'platform', 'docs']));
  });

  it('documents every route the app serves, with each path parameter declared', () => {
    const served = routeCatalog(t.app).map(
      (r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([...new Set(served)].sort());
    for (const { method, path, op } of operations) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => 'in' in p && p.in === 'path');
      expect(declared.map((p) => ('name' in p ? p.name : '')).sort(), `${method} ${path}`).toEqual(
        names.sort(),
      );
      expect(declared.every((p) => 'required' in p && p.required)).toBe(true);
    }
  });

  it('marks every protected operation with its permission and bearer security; public ones need no token', () => {
    const byKey = new Map(operations.map((o) => [`${o.method} ${o.path}`, o.op]));
    for (const route of routeCatalog(t.app)) {
      const op = byKey.get(`${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
      if (route.permission) {
        expect(op?.['x-permission'], route.path).toBe(route.permission);
        expect(op?.security, route.path).toEqual([{ bearerAuth: [] }]);
      } else {
        expect(op?.security, route.path).toEqual([]);
        expect(op?.['x-permission'], route.path).toBeUndefined();
      }
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(byKey.get('get /.well-known/jwks.json')?.security).toEqual([]);
  });

  it('describes failures as RFC 9457 problems, with 401 and 403 on protected operations', () => {
    expect(doc.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status'],
    });
    expect(doc.components.responses.Problem).toEqual({
      description: expect.any(String),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    for (const { method, path, op } of operations) {
      expect(op.responses.default, `${method} ${path}`).toEqual({ $ref: '#/components/responses/Problem' });
      if (op['x-permission']) {
        expect(op.responses['401'], `${method} ${path}`).toEqual({
          $ref: '#/components/responses/Unauthenticated',
        });
        expect(op.responses['403'], `${method} ${path}`).toEqual({
          $ref: '#/components/responses/Forbidden',
        });
      }
    }
  });

  it('resolves every $ref inside the document', () => {
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === '$ref' && typeof child === 'string') refs.add(child);
          else walk(child);
        }
      }
    };
    walk(doc);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('documents a request body exactly as its strict zod schema accepts it', () => {
    for (const route of routeCatalog(t.app)) {
      if (!(route.body instanceof z.ZodObject) || route.body._zod.def.catchall?._zod.def.type !== 'never')
        continue;
      const op = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase() as 'post'];
      expect(op?.requestBody?.content['application/json']?.schema, route.path).toMatchObject({
        type: 'object',
        additionalProperties: false,
      });
    }
  });

  it('reads request and response shapes from the zod schemas a route validates with', () => {
    const User = z
      .object({ id: z.uuid(), createdAt: z.date(), roles: z.array(z.string()) })
      .meta({ id: 'User' });
    const built = buildOpenApiDocument([
      route({
        method: 'POST',
        path: '/api/v1/widgets/teams/:teamId/users',
        handler: 'create',
        permission: 'widgets.users.write',
        body: z.strictObject({
          email: z.email(),
          roles: z.array(z.enum(['clinician', 'scheduler'])).default([]),
        }),
        params: z.object({ teamId: z.uuid() }),
        query: z.object({ dryRun: z.enum(['true', 'false']).optional(), reason: z.string() }),
        doc: { summary: 'Add a user to a team', response: User, status: 201 },
      }),
      route({
        method: 'GET',
        path: '/api/v1/widgets/users',
        handler: 'list',
        permission: 'widgets.users.read',
      }),
      route({
        method: 'POST',
        path: '/api/v1/widgets/logout',
        handler: 'logout',
        httpCode: 204,
        public: true,
      }),
    ]);
    const create = built.paths['/api/v1/widgets/teams/{teamId}/users']?.post;
    expect(create).toMatchObject({
      operationId: 'widgets_create',
      summary: 'Add a user to a team',
      tags: ['widgets'],
      'x-permission': 'widgets.users.write',
      security: [{ bearerAuth: [] }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                email: { type: 'string', format: 'email' },
                roles: { type: 'array', default: [] },
              },
              required: ['email'],
              additionalProperties: false,
            },
          },
        },
      },
      responses: {
        '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } } },
        '400': { $ref: '#/components/responses/BadRequest' },
      },
    });
    expect(create?.parameters).toEqual(
      expect.arrayContaining([
        { name: 'teamId', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) },
        { name: 'dryRun', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] } },
        { name: 'reason', in: 'query', required: true, schema: { type: 'string' } },
        { $ref: '#/components/parameters/PurposeOfUse' },
      ]),
    );
    // A Date leaves as an ISO 8601 string.
    expect(built.components.schemas.User).toMatchObject({
      properties: { createdAt: { type: 'string', format: 'date-time' } },
    });
    const list = built.paths['/api/v1/widgets/users']?.get;
    expect(list?.responses['200']).toEqual({
      description: 'OK',
      content: { 'application/json': { schema: {} } },
    });
    const logout = built.paths['/api/v1/widgets/logout']?.post;
    expect(logout?.responses).toEqual({
      '204': { description: 'No Content' },
      default: { $ref: '#/components/responses/Problem' },
    });
    expect(logout?.security).toEqual([]);
  });

  it('gives recursive and reused schemas component names the document can refer to', () => {
    const Team = z.object({
      name: z.string(),
      get subteams() {
        return z.array(Team);
      },
    });
    const Role = z.object({ name: z.string(), level: z.number().default(1) }).meta({ id: 'Role' });
    const built = buildOpenApiDocument([
      route({
        method: 'PUT',
        path: '/api/v1/widgets/teams',
        handler: 'replace',
        permission: 'widgets.teams.write',
        body: z.strictObject({ role: Role }),
        doc: { summary: 'Replace the team tree', response: Team },
      }),
      route({
        method: 'GET',
        path: '/api/v1/widgets/role',
        handler: 'role',
        public: true,
        doc: { summary: 'r', response: Role },
      }),
    ]);
    const replace = built.paths['/api/v1/widgets/teams']?.put;
    expect(replace?.responses['200']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetsReplaceResponse' } } },
    });
    expect(built.components.schemas.WidgetsReplaceResponse).toMatchObject({
      properties: { subteams: { items: { $ref: '#/components/schemas/WidgetsReplaceResponse' } } },
    });
    // The response shape keeps the plain name; the request shape, where `level` may be left out, differs.
    expect(built.components.schemas.Role).toMatchObject({ required: ['name', 'level'] });
    expect(built.components.schemas.RoleInput).toMatchObject({ required: ['name'] });
    expect(replace?.requestBody?.content['application/json']?.schema).toMatchObject({
      properties: { role: { $ref: '#/components/schemas/RoleInput' } },
    });
  });

  it('matches the SDK’s checked-in copy, so a route change without `npm run sdk:generate` fails', () => {
    const checkedIn = JSON.parse(readFileSync(SDK_DOCUMENT, 'utf8')) as OpenApiDocument;
    expect(doc, REGENERATE).toEqual(checkedIn);
    const types = readFileSync(SDK_TYPES, 'utf8');
    for (const path of Object.keys(doc.paths)) expect(types.includes(`"${path}": {`), REGENERATE).toBe(true);
  });

  it('serves a self-contained page listing operations by tag with method, path and permission', async () => {
    const res = await t.http.request({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    const html = res.body;
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=/i);
    for (const tag of doc.tags) expect(html).toContain(`id="tag-${tag.name}"`);
    for (const { op } of operations) expect(html).toContain(`id="${op.operationId}"`);
    expect(html).toContain('/.well-known/jwks.json');
    const permissions = operations.flatMap(({ op }) => [
      ...(op['x-permission'] ? [op['x-permission']] : []),
      ...(op['x-permission-alternatives'] ?? []),
    ]);
    expect(permissions).toContain('providers.providers.write');
    for (const permission of permissions) expect(html).toContain(permission);
  });
});

function route(
  over: Partial<Omit<RouteInfo, 'public'>> & {
    method: string;
    path: string;
    handler: string;
    public?: boolean;
  },
): RouteInfo {
  return {
    controller: 'WidgetsController',
    httpCode: over.method === 'POST' ? 201 : 200,
    contentType: null,
    permission: null,
    alternativePermissions: [],
    doc: null,
    body: null,
    query: null,
    params: null,
    ...over,
    public: over.public ? { reason: 'test' } : null,
  };
}
