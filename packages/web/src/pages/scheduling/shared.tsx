import { StatusBadge, type StatusTone } from '@ehrms/ui';
import { useQuery } from '@tanstack/react-query';
import { scheduling } from '../../api/endpoints.js';
import type {
  Appointment,
  AppointmentStatus,
  TimeOfDay,
  WaitlistEntry,
  WaitlistStatus,
} from '../../api/types.js';
import { formatDate } from '../../format.js';

export const SCHEDULING_KEY = ['scheduling'] as const;
export const APPOINTMENTS_KEY = [...SCHEDULING_KEY, 'appointments'] as const;
export const WAITLIST_KEY = [...SCHEDULING_KEY, 'waitlist'] as const;

const STATUS: Record<AppointmentStatus, { tone: StatusTone; label: string }> = {
  booked: { tone: 'info', label: 'Booked' },
  checked_in: { tone: 'success', label: 'Checked in' },
  completed: { tone: 'neutral', label: 'Completed' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
  no_show: { tone: 'warning', label: 'No-show' },
  rescheduled: { tone: 'neutral', label: 'Rescheduled' },
};

export const STATUS_OPTIONS = (Object.keys(STATUS) as AppointmentStatus[]).map((value) => ({
  value,
  label: STATUS[value].label,
}));

export function statusLabel(status: AppointmentStatus): string {
  return STATUS[status].label;
}

export function AppointmentStatusBadge({ status, size }: { status: AppointmentStatus; size?: 'xs' | 'sm' }) {
  const { tone, label } = STATUS[status];
  return (
    <StatusBadge tone={tone} size={size}>
      {label}
    </StatusBadge>
  );
}

/** The agency's active appointment types, by id. */
export function useAppointmentTypes() {
  return useQuery({
    queryKey: [...SCHEDULING_KEY, 'types'],
    queryFn: scheduling.types,
    staleTime: 5 * 60_000,
    select: (data) => data.items,
  });
}

/** Active provider resources of the agency (bookable people), by name. */
export function useProviderResources() {
  return useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'provider'],
    queryFn: () => scheduling.resources({ kind: 'provider', active: 'true', limit: 200 }),
    staleTime: 60_000,
    select: (data) => [...data.items].sort((a, b) => a.name.localeCompare(b.name)),
  });
}

/** What the calendar shows in place of the client: the name, or why there is none. */
export function whoLabel(appointment: Appointment): string {
  if (appointment.clientWithheld || !appointment.clientId) return 'Client withheld';
  return appointment.clientName ?? 'Client';
}

const WAITLIST_STATUS: Record<WaitlistStatus, { tone: StatusTone; label: string }> = {
  waiting: { tone: 'info', label: 'Waiting' },
  offered: { tone: 'success', label: 'Offered' },
  booked: { tone: 'neutral', label: 'Booked' },
  expired: { tone: 'neutral', label: 'Expired' },
  withdrawn: { tone: 'neutral', label: 'Removed' },
};

export function WaitlistStatusBadge({ status }: { status: WaitlistStatus }) {
  const { tone, label } = WAITLIST_STATUS[status];
  return <StatusBadge tone={tone}>{label}</StatusBadge>;
}

/** The waitlist's times of day (local to the agency): what the client can make. */
export const TIMES_OF_DAY: { value: TimeOfDay; label: string }[] = [
  { value: 'morning', label: 'Morning (before 12:00)' },
  { value: 'afternoon', label: 'Afternoon (12:00–17:00)' },
  { value: 'evening', label: 'Evening (from 17:00)' },
];

/** Waitlist priorities, 1 the most urgent. */
export const PRIORITIES = [
  { value: '1', label: '1 — most urgent' },
  { value: '2', label: '2 — urgent' },
  { value: '3', label: '3 — routine' },
  { value: '4', label: '4 — when possible' },
  { value: '5', label: '5 — least urgent' },
];

/** What a waitlist entry asks for, in words: preferred resources, dates and times of day. */
export function waitlistCriteria(entry: WaitlistEntry, resourceName: (id: string) => string): string {
  const parts: string[] = [];
  parts.push(entry.resourceIds.length > 0 ? entry.resourceIds.map(resourceName).join(', ') : 'Any provider');
  if (entry.earliestDate && entry.latestDate) {
    parts.push(`${formatDate(entry.earliestDate)} to ${formatDate(entry.latestDate)}`);
  } else if (entry.earliestDate) {
    parts.push(`from ${formatDate(entry.earliestDate)}`);
  } else if (entry.latestDate) {
    parts.push(`by ${formatDate(entry.latestDate)}`);
  }
  parts.push(
    entry.timesOfDay.length > 0
      ? entry.timesOfDay.map((t) => TIMES_OF_DAY.find((x) => x.value === t)?.label ?? t).join(', ')
      : 'any time of day',
  );
  return parts.join('; ');
}
