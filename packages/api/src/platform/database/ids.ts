const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Ids reach the repositories from tokens too (a service's or a test's `sub`, `agency`, `teams`),
 * and PostgreSQL refuses to compare a uuid column with a string that is not one. Such an id
 * matches no row.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export function onlyUuids(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}

/** Stands in for an id that is not a uuid where a query needs a value: it matches no row. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
