import { DataTable, ProblemAlert, SectionCard, StatusBadge, type DataTableColumn } from '@ehrms/ui';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { scheduling } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Appointment, Client } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { BookAppointmentForm } from './BookAppointmentForm.js';
import {
  APPOINTMENTS_KEY,
  AppointmentStatusBadge,
  SCHEDULING_KEY,
  useAppointmentTypes,
  useProviderResources,
} from './shared.js';
import { formatDayTime, formatTime, zoneLabel } from './time.js';

/** How far ahead the chart lists appointments. */
const AHEAD_DAYS = 180;

export const clientAppointmentsKey = (clientId: string) => [...APPOINTMENTS_KEY, 'client', clientId] as const;

/** The client's upcoming appointments, and booking one from free times of providers. */
export function ClientAppointmentsTab({ client }: { client: Client }) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [booking, setBooking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: clientAppointmentsKey(client.id),
    queryFn: () => {
      const now = Date.now();
      return scheduling.appointments({
        clientId: client.id,
        from: new Date(now - 60 * 60_000).toISOString(),
        to: new Date(now + AHEAD_DAYS * 86_400_000).toISOString(),
      });
    },
  });
  const types = useAppointmentTypes();
  const resources = useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'all'],
    queryFn: () => scheduling.resources({ active: 'true', limit: 200 }),
    staleTime: 60_000,
  });
  // Providers are listed from the provider resources; kept warm for the booking form.
  useProviderResources();
  // Emergency access reads the chart; it does not book.
  const mayBook = can(me, PERMISSIONS.writeAppointments) && client.access === 'scope';
  const timeZone = list.data?.timeZone;
  const typeName = (id: string) => types.data?.find((t) => t.id === id)?.name ?? 'Appointment';
  const resourceNames = (a: Appointment) =>
    a.resources
      .map((r) => resources.data?.items.find((x) => x.id === r.resourceId)?.name ?? 'Resource')
      .join(', ');
  const upcoming = (list.data?.items ?? [])
    .filter((a) => a.status === 'booked' || a.status === 'checked_in')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));

  const columns: DataTableColumn<Appointment>[] = [
    {
      key: 'when',
      header: 'When',
      rowHeader: true,
      cell: (a) =>
        timeZone ? `${formatDayTime(a.startsAt, timeZone)} – ${formatTime(a.endsAt, timeZone)}` : a.startsAt,
    },
    { key: 'type', header: 'Type', cell: (a) => typeName(a.appointmentTypeId) },
    { key: 'with', header: 'With', cell: resourceNames },
    {
      key: 'status',
      header: 'Status',
      cell: (a) => (
        <Group gap={4}>
          <AppointmentStatusBadge status={a.status} />
          {a.telehealth ? <StatusBadge tone="info">Telehealth</StatusBadge> : null}
        </Group>
      ),
    },
  ];

  return (
    <SectionCard
      title="Appointments"
      actions={
        mayBook && !booking ? (
          <Button
            variant="default"
            onClick={() => {
              setNotice(null);
              setBooking(true);
            }}
          >
            Book appointment
          </Button>
        ) : null
      }
    >
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Booked">
          {notice}
        </Alert>
      ) : null}
      {booking && timeZone ? (
        <BookAppointmentForm
          clientId={client.id}
          timeZone={timeZone}
          onCancel={() => setBooking(false)}
          onBooked={(message) => {
            setBooking(false);
            setNotice(message);
            void queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
          }}
        />
      ) : null}
      {list.isError ? <ProblemAlert problem={problemOf(list.error)} /> : null}
      {timeZone ? (
        <Text size="sm" c="dimmed" mb="xs">
          Times are the agency’s: {zoneLabel(timeZone)}.
        </Text>
      ) : null}
      <DataTable
        caption="Upcoming appointments of this client"
        columns={columns}
        rows={list.isPending ? undefined : upcoming}
        rowKey={(a) => a.id}
        loading={list.isPending}
        emptyMessage="No upcoming appointments."
        itemNoun="appointments"
      />
    </SectionCard>
  );
}
