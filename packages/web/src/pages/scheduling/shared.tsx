import { StatusBadge, type StatusTone } from '@ehrms/ui';
import { useQuery } from '@tanstack/react-query';
import { scheduling } from '../../api/endpoints.js';
import type { Appointment, AppointmentStatus } from '../../api/types.js';

export const SCHEDULING_KEY = ['scheduling'] as const;
export const APPOINTMENTS_KEY = [...SCHEDULING_KEY, 'appointments'] as const;

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
