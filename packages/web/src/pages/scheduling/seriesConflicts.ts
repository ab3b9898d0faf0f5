import { problemKind, type Problem } from '@ehrms/ui';

/** One occurrence the API could not book, as `409 series-conflicts` lists it. */
export interface OccurrenceConflict {
  occurrenceStart: string;
  startsAt: string;
  endsAt: string;
  /** slot-unavailable, outside-working-hours, resource-unavailable, provider-not-bookable. */
  type: string;
  resourceId: string | null;
  detail: string;
}

const REASONS: Record<string, string> = {
  'slot-unavailable': 'Already booked',
  'outside-working-hours': 'Outside working hours',
  'resource-unavailable': 'On leave or closed',
  'provider-not-bookable': 'Provider cannot be booked',
};

/**
 * The conflicting occurrences of a `series-conflicts` problem, earliest first; null for any other
 * problem. Entries without a start or a detail are left out rather than shown half.
 */
export function seriesConflictsOf(problem: Problem | null | undefined): OccurrenceConflict[] | null {
  if (problemKind(problem) !== 'series-conflicts') return null;
  const raw = (problem as { conflicts?: unknown }).conflicts;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null)
    .flatMap((c) => {
      const { startsAt, endsAt, detail } = c;
      if (typeof startsAt !== 'string' || typeof detail !== 'string') return [];
      return [
        {
          occurrenceStart: typeof c.occurrenceStart === 'string' ? c.occurrenceStart : startsAt,
          startsAt,
          endsAt: typeof endsAt === 'string' ? endsAt : startsAt,
          type: typeof c.type === 'string' ? c.type : 'conflict',
          resourceId: typeof c.resourceId === 'string' ? c.resourceId : null,
          detail,
        },
      ];
    })
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** A short name for why an occurrence cannot be booked. */
export function conflictReason(type: string): string {
  return REASONS[type] ?? 'Cannot be booked';
}
