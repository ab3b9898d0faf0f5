import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Every repository method's SQL is reviewable in a checked-in file, `queries/<file>.repository.sql`
 * (as Immich does): each public repository method carries one or more `@GenerateSql` examples, and
 * a test (`test/platform/repository-sql.test.ts`) calls the method with them against a throwaway
 * database, records the statements that ran and snapshots them. A change of a query shows up in
 * review as a change of that file.
 */
export interface GenerateSqlExample {
  /** Tells several examples of one method apart, e.g. 'every filter'. */
  name?: string;
  /** The arguments; `GenerateSql.db` stands for a database/transaction argument. */
  params: unknown[];
}

const EXAMPLES = Symbol('generate-sql:examples');

/** Placeholder for a `db`/`trx` argument; the generator passes the capture's database there. */
const DB_ARGUMENT = Symbol('generate-sql:db');

export function GenerateSql(example: GenerateSqlExample): MethodDecorator {
  return (target, propertyKey) => {
    const existing =
      (Reflect.getMetadata(EXAMPLES, target, propertyKey) as GenerateSqlExample[] | undefined) ?? [];
    Reflect.defineMetadata(EXAMPLES, [...existing, example], target, propertyKey);
  };
}

GenerateSql.db = DB_ARGUMENT as unknown;

const TRANSACTION_CONTROL = /^\s*(begin|start transaction|commit|rollback|savepoint|release)\b/i;

/**
 * Records the statements run inside `generateSqlFor` only: background work on the same database
 * (the outbox dispatcher's polling, say) runs outside its async context and is not recorded.
 * Pass `onQuery` to `openDatabase`.
 */
export class SqlCapture {
  private readonly current = new AsyncLocalStorage<string[]>();

  /** What `GenerateSql.db` arguments become: the app's Kysely instance. */
  db: unknown;

  readonly onQuery = (sql: string): void => {
    // Transaction control is logged on PostgreSQL but not on PGlite; the files must not differ.
    if (TRANSACTION_CONTROL.test(sql)) return;
    this.current.getStore()?.push(sql);
  };

  async record(work: () => Promise<unknown>): Promise<string[]> {
    const statements: string[] = [];
    await this.current.run(statements, async () => {
      try {
        await work();
      } catch {
        // What ran before the error is still this method's SQL.
      }
    });
    return statements;
  }
}

/** Own methods of the instance's class (not the constructor, not accessors). */
function methodsOf(instance: object): string[] {
  const proto = Object.getPrototypeOf(instance) as object;
  return Object.getOwnPropertyNames(proto).filter((name) => {
    if (name === 'constructor') return false;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    return typeof descriptor?.value === 'function';
  });
}

/** Methods without a `@GenerateSql` example: the review file would not show their SQL. */
export function undecoratedMethods(instance: object): string[] {
  const proto = Object.getPrototypeOf(instance) as object;
  return methodsOf(instance).filter((name) => !Reflect.hasOwnMetadata(EXAMPLES, proto, name));
}

/** The review file for one repository: every example of every decorated method, with its SQL. */
export async function generateSqlFor(instance: object, capture: SqlCapture): Promise<string> {
  const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
  const className = instance.constructor.name;
  const sections: string[] = [];
  for (const method of methodsOf(instance).sort()) {
    const examples =
      (Reflect.getOwnMetadata(EXAMPLES, proto, method) as GenerateSqlExample[] | undefined) ?? [];
    const sorted = [...examples].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
    for (const example of sorted) {
      const fn = proto[method] as (...args: unknown[]) => unknown;
      const args = example.params.map((p) => (p === DB_ARGUMENT ? capture.db : p));
      const statements = await capture.record(async () => fn.apply(instance, args));
      const title = `${className}.${method}${example.name ? ` (${example.name})` : ''}`;
      if (statements.length === 0) {
        throw new Error(`${title} ran no SQL: give it example params that reach the database`);
      }
      sections.push(
        [`-- ${title}`, ...statements.map((s) => `${s.replace(/\s+/g, ' ').trim()};`)].join('\n'),
      );
    }
  }
  return `${sections.join('\n\n')}\n`;
}
