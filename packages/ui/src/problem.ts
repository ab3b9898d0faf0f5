/**
 * RFC 9457 problem details as the EHRMS API sends them (`application/problem+json`), plus the
 * field-level `errors` extension the validation pipe adds.
 */
export interface ProblemFieldError {
  /** Path into the request, e.g. `body.email`, `body.roles.0`, `query.limit`. */
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
}

/** Field name → the message to show under that field. */
export type FieldErrors = Partial<Record<string, string>>;

export function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' && value !== null && typeof (value as { title?: unknown }).title === 'string'
  );
}

/** The last path segment of a problem `type` URI, e.g. `invalid-credentials`. */
export function problemKind(problem: Problem | null | undefined): string | undefined {
  const type = problem?.type;
  if (!type) return undefined;
  return type.slice(type.lastIndexOf('/') + 1);
}

const LOCATIONS = new Set(['body', 'query', 'params', 'param', 'headers']);

/**
 * Turns a problem's field errors into messages keyed by form field name: `body.email` → `email`,
 * `body.roles.1` → `roles` (nested paths land on their top-level field). Several messages for
 * one field are joined. When `fields` is given, only those names are mapped, so the caller can
 * tell which errors have no field on screen (see `unmappedFieldErrors`).
 */
export function mapProblemToFieldErrors(
  problem: Problem | null | undefined,
  fields?: readonly string[],
): FieldErrors {
  const out: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    const name = fieldNameOf(error.field);
    if (!name || (fields && !fields.includes(name))) continue;
    const prev = out[name];
    out[name] = prev && prev !== error.message ? `${prev} ${error.message}` : error.message;
  }
  return out;
}

/** The field errors `mapProblemToFieldErrors(problem, fields)` leaves out. */
export function unmappedFieldErrors(
  problem: Problem | null | undefined,
  fields: readonly string[],
): ProblemFieldError[] {
  return (problem?.errors ?? []).filter((e) => {
    const name = fieldNameOf(e.field);
    return !name || !fields.includes(name);
  });
}

function fieldNameOf(path: string): string | undefined {
  const parts = path.split(/[.[\]/]+/).filter(Boolean);
  if (parts.length > 1 && LOCATIONS.has(parts[0] ?? '')) parts.shift();
  return parts[0];
}
