import { Injectable, StandardSchemaValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Problems, type FieldError } from '../errors/problem.js';

/**
 * Nest's Standard Schema pipe (zod 4 schemas given as `@Body({ schema })`, `@Query({ schema })`,
 * `@Param({ schema })`), with failures turned into one problem+json carrying field paths such as
 * `body.email`. Messages come from the schema and never echo the submitted value.
 */
@Injectable()
export class SchemaValidationPipe extends StandardSchemaValidationPipe {
  constructor() {
    super({ transform: true, exceptionFactory: (issues) => new IssuesError(issues) });
  }

  override async transform<T = unknown>(value: T, metadata: ArgumentMetadata): Promise<T> {
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      if (!(err instanceof IssuesError)) throw err;
      const where = metadata.type === 'custom' ? 'input' : metadata.type;
      const prefix = metadata.data ? `${where}.${metadata.data}` : where;
      throw Problems.validation(err.issues.map((issue) => toFieldError(prefix, issue)));
    }
  }
}

class IssuesError extends Error {
  constructor(readonly issues: readonly StandardSchemaV1.Issue[]) {
    super('validation failed');
  }
}

function toFieldError(prefix: string, issue: StandardSchemaV1.Issue): FieldError {
  const path = (issue.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p)));
  return { field: [prefix, ...path].join('.'), message: issue.message };
}
