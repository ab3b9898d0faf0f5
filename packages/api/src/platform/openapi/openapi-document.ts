import { readFileSync } from 'node:fs';
import { PURPOSES_OF_USE } from '../http/request-context.js';
import type { RouteInfo } from '../http/route-catalog.js';
import { SchemaComponents, type JsonSchema } from './json-schema.js';

export interface OpenApiDocument {
  openapi: string;
  info: {
    title: string;
    version: string;
    description: string;
    license: { name: string; identifier: string };
  };
  tags: OpenApiTag[];
  paths: Record<string, Partial<Record<HttpMethod, OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    parameters: Record<string, OpenApiParameter>;
    securitySchemes: Record<string, unknown>;
  };
}

export interface OpenApiTag {
  name: string;
  description?: string;
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  description?: string;
  tags: string[];
  /** `[]` on public routes: no token needed. */
  security: Record<string, string[]>[];
  parameters?: (OpenApiParameter | Ref)[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, OpenApiResponse | Ref>;
  'x-permission'?: string;
  /** Other grants that also open the operation (the record decides which one applies). */
  'x-permission-alternatives'?: readonly string[];
  'x-public-reason'?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, { schema: JsonSchema }>;
}

interface Ref {
  $ref: string;
}

export type HttpMethod = (typeof HTTP_METHODS)[number];
/** Order of methods under one path in the document. */
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'] as const;

/**
 * The OpenAPI 3.1 document of every route the app serves, built from the route catalog: paths,
 * permissions, `@Doc` summaries and the zod schemas routes validate with. Deterministic — the
 * same routes always give the same document — because the SDK's checked-in copy is compared
 * against it in CI.
 */
export function buildOpenApiDocument(routes: RouteInfo[]): OpenApiDocument {
  const documented = routes
    .filter((r) => (HTTP_METHODS as readonly string[]).includes(r.method.toLowerCase()))
    .map((r) => ({ ...r, method: r.method.toLowerCase() as HttpMethod, openApiPath: toOpenApiPath(r.path) }))
    .sort(
      (a, b) =>
        compare(a.openApiPath, b.openApiPath) ||
        HTTP_METHODS.indexOf(a.method) - HTTP_METHODS.indexOf(b.method),
    );
  const operationIds = uniqueOperationIds(documented);
  const components = new SchemaComponents({ Problem: PROBLEM_SCHEMA, FieldError: FIELD_ERROR_SCHEMA });
  // Responses first, so a named schema's output shape gets the plain name and a differing input
  // shape the `Input` suffix, whichever route happens to come first.
  const responseSchemas = documented.map((r, i) =>
    r.doc?.response
      ? components.convert(r.doc.response, 'output', `${schemaName(operationIds[i])}Response`)
      : null,
  );
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  documented.forEach((route, i) => {
    const tag = tagFor(route.path);
    tags.add(tag);
    const operation = operationFor(route, {
      operationId: operationIds[i] ?? route.handler,
      tag,
      responseSchema: responseSchemas[i] ?? null,
      components,
    });
    (paths[route.openApiPath] ??= {})[route.method] = operation;
  });

  return {
    openapi: '3.1.0',
    info: {
      title: 'EHRMS API',
      version: API_VERSION,
      description:
        'Electronic Health Records Management System. Every protected operation needs a bearer access ' +
        'token granting the permission named in `x-permission`; errors are RFC 9457 problem details.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [...tags].sort(compare).map((name) => ({
      name,
      ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
    })),
    paths,
    components: {
      schemas: components.schemas,
      responses: PROBLEM_RESPONSES,
      parameters: { PurposeOfUse: PURPOSE_OF_USE },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An ES256 access token from POST /api/v1/identity/auth/login (or the OAuth token endpoint).',
        },
      },
    },
  };
}

/** `/api/v1/identity/users/:id` → `/api/v1/identity/users/{id}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The module a route belongs to: `/api/v1/<module>/…`; platform routes are grouped by purpose. */
export function tagFor(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const [first = '', second, third] = segments;
  if (first === 'api' && second && /^v\d+$/.test(second) && third) return third;
  if (first === 'api' && second) return second;
  return TAG_ALIASES[first] ?? (first.replace(/^\.+/, '') || 'platform');
}

const TAG_ALIASES: Record<string, string> = {
  // OAuth/OpenID discovery and keys are the identity service's.
  '.well-known': 'identity',
  health: 'platform',
  metrics: 'platform',
};

const TAG_DESCRIPTIONS: Record<string, string> = {
  identity: 'Sign-in, tokens, MFA, users, roles, sessions and service accounts',
  clients: 'Clients, demographics, enrollments and consents',
  cases: 'Cases, case notes, service plans, goals and referrals',
  scheduling: 'Appointments, resources and the bed board',
  billing: 'Services rendered, claims, payments, remittances and receivables',
  providers: 'Providers, agencies, contracts and credentials',
  documents: 'Document metadata and content',
  reporting: 'Dashboards and compliance reports',
  integration: 'Integration configurations, exchanges and ETL pipelines',
  notifications: 'Templates, deliveries, preferences and the in-app inbox',
  audit: 'The append-only, hash-chained audit trail',
  docs: 'This API description',
  platform: 'Health probes, metrics and operator tools (event dead letters)',
};

interface OperationContext {
  operationId: string;
  tag: string;
  responseSchema: JsonSchema | null;
  components: SchemaComponents;
}

function operationFor(route: RouteInfo, ctx: OperationContext): OpenApiOperation {
  const isPublic = !route.permission && route.public !== null;
  const name = schemaName(ctx.operationId);
  const parameters: (OpenApiParameter | Ref)[] = [
    ...pathParameters(route, ctx),
    ...(route.query
      ? objectParameters(ctx.components.convert(route.query, 'input', `${name}Query`), 'query')
      : []),
    ...(isPublic ? [] : [{ $ref: '#/components/parameters/PurposeOfUse' }]),
  ];
  const responses: Record<string, OpenApiResponse | Ref> = {
    [String(route.doc?.status ?? route.httpCode)]: successResponse(route, ctx.responseSchema),
  };
  if (route.body || route.doc?.requestBody || route.query || route.params)
    responses['400'] = { $ref: '#/components/responses/BadRequest' };
  if (!isPublic) {
    responses['401'] = { $ref: '#/components/responses/Unauthenticated' };
    responses['403'] = { $ref: '#/components/responses/Forbidden' };
  }
  responses.default = { $ref: '#/components/responses/Problem' };

  return {
    operationId: ctx.operationId,
    ...(route.doc?.summary ? { summary: route.doc.summary } : {}),
    ...(route.doc?.description ? { description: route.doc.description } : {}),
    tags: [ctx.tag],
    security: isPublic ? [] : [{ bearerAuth: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ctx.components.convert(route.body, 'input', `${name}Body`) },
            },
          },
        }
      : route.doc?.requestBody
        ? {
            requestBody: {
              required: true,
              content: {
                [route.doc.requestBody.contentType]: {
                  schema: ctx.components.convert(route.doc.requestBody.schema, 'input', `${name}Body`),
                },
              },
            },
          }
        : {}),
    responses,
    ...(route.permission ? { 'x-permission': route.permission } : {}),
    ...(route.alternativePermissions.length > 0
      ? { 'x-permission-alternatives': route.alternativePermissions }
      : {}),
    ...(isPublic && route.public ? { 'x-public-reason': route.public.reason } : {}),
  };
}

/** Every `:name` in the path, typed from the route's param schema where it has one. */
function pathParameters(route: RouteInfo, ctx: OperationContext): OpenApiParameter[] {
  const hint = `${schemaName(ctx.operationId)}Params`;
  const declared = route.params
    ? objectParameters(ctx.components.convert(route.params, 'input', hint), 'path')
    : [];
  return [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name = '']) => {
    const found = declared.find((p) => p.name === name);
    return found ?? { name, in: 'path', required: true, schema: { type: 'string' } };
  });
}

function objectParameters(schema: JsonSchema, location: 'path' | 'query'): OpenApiParameter[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function successResponse(route: RouteInfo, schema: JsonSchema | null): OpenApiResponse {
  const status = route.doc?.status ?? route.httpCode;
  const description = REASONS[status] ?? 'Success';
  if (status === 204 || (status >= 300 && status < 400)) return { description };
  const mediaType =
    (route.doc?.contentType ?? route.contentType)?.split(';')[0]?.trim() ?? 'application/json';
  const isJson = /[/+]json$/.test(mediaType);
  return { description, content: { [mediaType]: { schema: schema ?? (isJson ? {} : { type: 'string' }) } } };
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  302: 'Found',
  303: 'See Other',
};

/**
 * `<controller>_<handler>` with the `Controller` suffix dropped (`users_list`). Two controllers of
 * the same name in different modules are told apart by the module: `billing_payments_list`.
 */
function uniqueOperationIds(routes: RouteInfo[]): string[] {
  const plain = routes.map((r) => `${lowerFirst(r.controller.replace(/Controller$/, ''))}_${r.handler}`);
  const counts = new Map<string, number>();
  for (const id of plain) counts.set(id, (counts.get(id) ?? 0) + 1);
  const ids = plain.map((id, i) =>
    (counts.get(id) ?? 0) > 1 ? `${tagFor(routes[i]?.path ?? '')}_${id}` : id,
  );
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}_${n}`;
  });
}

/** `users_list` → `UsersList`, for names of otherwise anonymous recursive schemas. */
function schemaName(operationId: string | undefined): string {
  return (operationId ?? 'Anonymous')
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const API_VERSION = packageVersion();

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const FIELD_ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    field: { type: 'string', description: 'Where in the request, e.g. `body.email` or `query.limit`.' },
    message: { type: 'string' },
  },
  required: ['field', 'message'],
};

/** RFC 9457 problem details as ProblemFilter sends them. */
const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details. `type` is a stable URI to switch on; never contains PHI.',
  properties: {
    type: { type: 'string', format: 'uri', examples: ['https://ehrms.dev/problems/validation'] },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 100, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path.' },
    requestId: { type: 'string', description: 'Quote this when reporting a problem.' },
    errors: {
      type: 'array',
      description: 'Field-level messages when the request is not valid.',
      items: { $ref: '#/components/schemas/FieldError' },
    },
  },
  required: ['type', 'title', 'status'],
  additionalProperties: true,
};

function problemResponse(description: string, headers?: OpenApiResponse['headers']): OpenApiResponse {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

const PROBLEM_RESPONSES: Record<string, OpenApiResponse> = {
  Problem: problemResponse('The request failed; the body says why.'),
  BadRequest: problemResponse('The request is malformed or not valid; `errors` names the fields.'),
  Unauthenticated: problemResponse('No valid access token was presented.', {
    'WWW-Authenticate': { description: 'The authentication scheme to use.', schema: { type: 'string' } },
  }),
  Forbidden: problemResponse('The access token does not grant the permission this operation requires.'),
};

const PURPOSE_OF_USE: OpenApiParameter = {
  name: 'X-Purpose-Of-Use',
  in: 'header',
  required: false,
  description: 'HL7 PurposeOfUse for this access, recorded in the audit trail. Treatment when absent.',
  schema: { type: 'string', enum: [...PURPOSES_OF_USE], default: 'TREAT' },
};
