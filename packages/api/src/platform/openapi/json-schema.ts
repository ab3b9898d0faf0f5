import type { StandardSchemaV1 } from '@standard-schema/spec';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

/** Requests are documented as the client may send them (defaults optional), responses as sent. */
export type SchemaIo = 'input' | 'output';

/**
 * Turns the zod schemas routes validate with into JSON Schema 2020-12 (the dialect of OpenAPI
 * 3.1). Schemas named with `.meta({ id: 'User' })` become shared `components.schemas` entries, so
 * the SDK gets a `components['schemas']['User']` type; everything else is inlined.
 */
export class SchemaComponents {
  /** Named component schemas, in the order first seen. */
  readonly schemas: Record<string, JsonSchema> = {};
  /** Definitions as zod emitted them (before $ref rewriting), to recognise a repeat. */
  private readonly seen = new Map<string, JsonSchema>();

  /** `fixed`: schemas the document defines itself (Problem), which a route's schema cannot take over. */
  constructor(fixed: Record<string, JsonSchema> = {}) {
    for (const [name, schema] of Object.entries(fixed)) {
      this.schemas[name] = schema;
      this.seen.set(name, schema);
    }
  }

  /**
   * `hint` names what zod leaves unnamed but must be referable: a recursive root (zod's `#`) and
   * its generated `__schemaN` definitions.
   */
  convert(schema: StandardSchemaV1, io: SchemaIo, hint: string): JsonSchema {
    if (!(schema instanceof z.ZodType)) return {};
    const converted = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      override: ({ zodSchema, jsonSchema }) => {
        // A Date travels as an ISO 8601 string.
        if (zodSchema._zod.def.type === 'date') {
          jsonSchema.type = 'string';
          jsonSchema.format = 'date-time';
        }
      },
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...root } = converted;
    const renames = new Map<string, string>();
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const id = /^__schema\d+$/.test(name) ? `${hint}_${name.slice('__schema'.length)}` : name;
      renames.set(`#/$defs/${name}`, this.register(id, def, io));
    }
    const recursiveRoot = hasRef(root, '#') || hasRef($defs, '#');
    if (recursiveRoot) renames.set('#', this.register(hint, root, io));

    const rewrite = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewrite);
      if (value === null || typeof value !== 'object') return value;
      const out: JsonSchema = {};
      for (const [key, v] of Object.entries(value)) {
        const renamed = key === '$ref' && typeof v === 'string' ? renames.get(v) : undefined;
        out[key] = renamed ? `#/components/schemas/${renamed}` : rewrite(v);
      }
      return out;
    };
    // Definitions refer to each other by zod's names, so rewrite them once all are named.
    for (const name of new Set(renames.values()))
      this.schemas[name] = rewrite(this.schemas[name]) as JsonSchema;
    const rootName = renames.get('#');
    return rootName ? { $ref: `#/components/schemas/${rootName}` } : (rewrite(root) as JsonSchema);
  }

  /**
   * Names a definition. The same id seen again with the same shape is shared; the input shape of
   * a schema whose output differs (defaults, transforms) becomes `<id>Input`.
   */
  private register(id: string, def: JsonSchema, io: SchemaIo): string {
    const base = id.replace(/[^A-Za-z0-9._-]/g, '_');
    const candidates = [base, io === 'input' ? `${base}Input` : `${base}Output`];
    for (let n = 2; n < 100; n++) candidates.push(`${base}${n}`);
    for (const name of candidates) {
      const existing = this.seen.get(name);
      if (!existing) {
        this.seen.set(name, def);
        this.schemas[name] = def;
        return name;
      }
      if (isDeepStrictEqual(existing, def)) return name;
    }
    throw new Error(`Too many different schemas named "${id}"`);
  }
}

function hasRef(value: unknown, ref: string): boolean {
  if (Array.isArray(value)) return value.some((v) => hasRef(v, ref));
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => (k === '$ref' ? v === ref : hasRef(v, ref)));
}
