import { RequestMethod, SetMetadata, type Type } from '@nestjs/common';
import {
  HEADERS_METADATA,
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
} from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import {
  ALTERNATIVE_PERMISSIONS_KEY,
  PERMISSION_KEY,
  PUBLIC_KEY,
  type PublicOptions,
} from '../auth/decorators.js';

const ROUTE_ARGS_METADATA = '__routeArguments__';
const PARAMTYPE = { BODY: 3, QUERY: 4, PARAM: 5 } as const;
export const DOC_KEY = 'ehrms:doc';

export interface RouteDoc {
  summary: string;
  description?: string;
  /** The success response body schema (zod). Omit for 204. */
  response?: StandardSchemaV1;
  status?: number;
  /** Media type of the success body when it is not JSON, e.g. `application/x-ndjson` for a stream. */
  contentType?: string;
  /** A request body the route reads itself (not through @Body), e.g. a `multipart/form-data` upload. */
  requestBody?: { contentType: string; schema: StandardSchemaV1 };
}

/** Documents a route for OpenAPI: summary and response schema. Request schemas come from @Body/@Query/@Param. */
export function Doc(doc: RouteDoc): MethodDecorator {
  return SetMetadata(DOC_KEY, doc);
}

export interface RouteInfo {
  method: string;
  /** Fastify-style path, e.g. `/api/v1/identity/users/:id`. */
  path: string;
  controller: string;
  handler: string;
  /** The success status Nest sends: @HttpCode, else 201 for POST and 200 otherwise. */
  httpCode: number;
  /** The content type set with @Header('content-type', …), if any (JSON otherwise). */
  contentType: string | null;
  permission: string | null;
  /** Other grants that also open the route (the service decides each record). */
  alternativePermissions: readonly string[];
  public: PublicOptions | null;
  doc: RouteDoc | null;
  body: StandardSchemaV1 | null;
  query: StandardSchemaV1 | null;
  params: StandardSchemaV1 | null;
}

/**
 * Every HTTP route the app serves, read from Nest's metadata. Used to build the OpenAPI
 * document, to refuse start-up when a route declares no permission, and by the authorization
 * matrix test.
 */
export function routeCatalog(app: ProviderLookup): RouteInfo[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
    if (!instance || !type) continue;
    const base = normalise(Reflect.getMetadata(PATH_METADATA, type) as string | undefined);
    const proto = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(proto)) {
      const fn = (proto as Record<string, unknown>)[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (method === undefined) continue;
      const sub = normalise(Reflect.getMetadata(PATH_METADATA, fn) as string | undefined);
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) ?? {}) as Record<
        string,
        { schema?: StandardSchemaV1; data?: string }
      >;
      const schemaOf = (paramtype: number) =>
        Object.entries(args).find(([key, v]) => key.startsWith(`${paramtype}:`) && v.schema && !v.data)?.[1]
          .schema ?? null;
      routes.push({
        method: RequestMethod[method],
        path: '/' + [base, sub].filter(Boolean).join('/'),
        controller: type.name,
        handler: name,
        httpCode:
          (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ??
          (method === RequestMethod.POST ? 201 : 200),
        contentType: contentTypeOf(Reflect.getMetadata(HEADERS_METADATA, fn)),
        permission: (Reflect.getMetadata(PERMISSION_KEY, fn) as string | undefined) ?? null,
        alternativePermissions:
          (Reflect.getMetadata(ALTERNATIVE_PERMISSIONS_KEY, fn) as readonly string[] | undefined) ?? [],
        public: (Reflect.getMetadata(PUBLIC_KEY, fn) as PublicOptions | undefined) ?? null,
        doc: (Reflect.getMetadata(DOC_KEY, fn) as RouteDoc | undefined) ?? null,
        body: schemaOf(PARAMTYPE.BODY),
        query: schemaOf(PARAMTYPE.QUERY),
        params: schemaOf(PARAMTYPE.PARAM),
      });
    }
  }
  return routes;
}

/** The app, or anything that resolves providers app-wide (a ModuleRef with `strict: false`). */
export interface ProviderLookup {
  get<T>(type: Type<T>): T;
}

/** Routes that neither declare a permission nor say they are public; start-up refuses them. */
export function undeclaredRoutes(routes: RouteInfo[]): RouteInfo[] {
  return routes.filter((r) => !r.permission && !r.public);
}

function normalise(path: string | undefined): string {
  return (path ?? '').replace(/^\/+|\/+$/g, '');
}

function contentTypeOf(headers: unknown): string | null {
  if (!Array.isArray(headers)) return null;
  const found = (headers as { name: string; value: unknown }[]).find(
    (h) => h.name.toLowerCase() === 'content-type',
  );
  return typeof found?.value === 'string' ? found.value : null;
}
