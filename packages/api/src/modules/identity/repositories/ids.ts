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
