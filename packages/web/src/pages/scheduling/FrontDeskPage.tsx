import {
  DataTable,
  PageHeader,
  ProblemAlert,
  SelectField,
  StatusBadge,
  TextField,
  type DataTableColumn,
} from '@ehrms/ui';
import { Alert, Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { scheduling } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Appointment, AppointmentStatus } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { usePageTitle } from '../../pageTitle.js';
import { RedisclosureNotice } from '../clients/ProgramsTab.js';
import {
  APPOINTMENTS_KEY,
  AppointmentStatusBadge,
  SCHEDULING_KEY,
  STATUS_OPTIONS,
  useAppointmentTypes,
  whoLabel,
} from './shared.js';
import { formatDay, formatTime, localParts, todayIn, zoneLabel } from './time.js';

type Closing = { appointment: Appointment; action: 'cancel' | 'no-show' };

/**
 * Today's appointments (the agency's day) in the user's scope, for the front desk: check clients
 * in, mark no-shows, cancel with a reason. Refreshes every 30 seconds.
 */
export function FrontDeskPage() {
  usePageTitle('Front desk');
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<string>('all');
  const [closing, setClosing] = useState<Closing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The agency's day is only known with its zone, which comes with the list: ask for the hours
  // around now, then keep the agency's today.
  const list = useQuery({
    queryKey: [...APPOINTMENTS_KEY, 'front-desk'],
    queryFn: () => {
      const now = Date.now();
      return scheduling.appointments({
        from: new Date(now - 30 * 3_600_000).toISOString(),
        to: new Date(now + 30 * 3_600_000).toISOString(),
      });
    },
    refetchInterval: 30_000,
  });
  const types = useAppointmentTypes();
  const resources = useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'all'],
    queryFn: () => scheduling.resources({ active: 'true', limit: 200 }),
    staleTime: 60_000,
  });
  const timeZone = list.data?.timeZone;
  const today = timeZone ? todayIn(timeZone) : null;
  const todays = (list.data?.items ?? [])
    .filter((a) => timeZone && localParts(a.startsAt, timeZone).date === today)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const rows = todays.filter((a) => status === 'all' || a.status === status);
  const mayWrite = can(me, PERMISSIONS.writeAppointments);

  const checkIn = useMutation({
    mutationFn: (a: Appointment) => scheduling.checkIn(a.id),
    onMutate: () => setNotice(null),
    onSuccess: (a) => {
      setNotice(`${whoLabel(a)} is checked in.`);
      void queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
    },
  });

  const columns: DataTableColumn<Appointment>[] = [
    {
      key: 'time',
      header: 'Time',
      rowHeader: true,
      cell: (a) =>
        timeZone ? `${formatTime(a.startsAt, timeZone)} – ${formatTime(a.endsAt, timeZone)}` : '',
    },
    {
      key: 'client',
      header: 'Client',
      cell: (a) =>
        a.clientId ? (
          <Anchor component={Link} to={`/clients/${a.clientId}?tab=appointments`} size="sm">
            {whoLabel(a)}
          </Anchor>
        ) : (
          <Text span size="sm" fs="italic">
            Client withheld
          </Text>
        ),
    },
    {
      key: 'type',
      header: 'Type',
      cell: (a) => types.data?.find((t) => t.id === a.appointmentTypeId)?.name ?? 'Appointment',
    },
    {
      key: 'with',
      header: 'With',
      cell: (a) =>
        a.resources
          .map((r) => resources.data?.items.find((x) => x.id === r.resourceId)?.name ?? 'Resource')
          .join(', '),
    },
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
    {
      key: 'actions',
      header: 'Actions',
      cell: (a) => {
        if (!mayWrite || a.clientWithheld) return null;
        const who = whoLabel(a);
        const at = timeZone ? formatTime(a.startsAt, timeZone) : '';
        return (
          <Group gap={6} wrap="nowrap">
            {a.status === 'booked' ? (
              <Button
                size="compact-sm"
                onClick={() => checkIn.mutate(a)}
                loading={checkIn.isPending && checkIn.variables.id === a.id}
                aria-label={`Check in ${who} (${at})`}
              >
                Check in
              </Button>
            ) : null}
            {a.status === 'booked' ? (
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => setClosing({ appointment: a, action: 'no-show' })}
                aria-label={`No-show: ${who} (${at})`}
              >
                No-show
              </Button>
            ) : null}
            {a.status === 'booked' || a.status === 'checked_in' ? (
              <Button
                size="compact-sm"
                variant="default"
                onClick={() => setClosing({ appointment: a, action: 'cancel' })}
                aria-label={`Cancel ${who} (${at})`}
              >
                Cancel
              </Button>
            ) : null}
          </Group>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="Front desk"
        description={
          timeZone && today
            ? `Today, ${formatDay(today)} — times are the agency’s: ${zoneLabel(timeZone)}.`
            : undefined
        }
      />
      <ProblemAlert problem={problemOf(list.error)} />
      <ProblemAlert problem={problemOf(checkIn.error)} onClose={() => checkIn.reset()} />
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Done">
          {notice}
        </Alert>
      ) : null}
      <Group mb="md">
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => setStatus(v ?? 'all')}
          data={[{ value: 'all', label: 'All statuses' }, ...STATUS_OPTIONS]}
          w={220}
        />
      </Group>
      <DataTable
        caption="Today’s appointments"
        columns={columns}
        rows={list.isPending ? undefined : rows}
        rowKey={(a) => a.id}
        loading={list.isPending}
        emptyMessage={status === 'all' ? 'No appointments today.' : 'No appointments with this status today.'}
        itemNoun="appointments"
      />
      {list.data?.redisclosureNotice ? <RedisclosureNotice text={list.data.redisclosureNotice} /> : null}
      {closing ? (
        <CloseDialog
          closing={closing}
          who={whoLabel(closing.appointment)}
          onClose={() => setClosing(null)}
          onDone={(message) => {
            setClosing(null);
            setNotice(message);
            void queryClient.invalidateQueries({ queryKey: APPOINTMENTS_KEY });
          }}
        />
      ) : null}
    </>
  );
}

/** Cancelling needs a reason (the API keeps it); a no-show may have one. */
function CloseDialog({
  closing,
  who,
  onClose,
  onDone,
}: {
  closing: Closing;
  who: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { appointment, action } = closing;
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const close = useMutation({
    mutationFn: () =>
      action === 'cancel'
        ? scheduling.cancel(appointment.id, reason.trim())
        : scheduling.noShow(appointment.id, reason.trim() || undefined),
    onSuccess: () =>
      onDone(action === 'cancel' ? `The appointment of ${who} is cancelled.` : `${who} is marked a no-show.`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (action === 'cancel' && !reason.trim()) {
      setMissing(true);
      return;
    }
    close.mutate();
  };
  const title = action === 'cancel' ? 'Cancel this appointment?' : 'Mark a no-show?';
  const next: AppointmentStatus = action === 'cancel' ? 'cancelled' : 'no_show';
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          <Text size="sm">
            {who}: the appointment becomes “{STATUS_OPTIONS.find((o) => o.value === next)?.label}” and its
            time is freed.
          </Text>
          <ProblemAlert problem={problemOf(close.error)} fieldLabels={{ reason: 'Reason' }} />
          <TextField
            label="Reason"
            description={action === 'cancel' ? undefined : 'Optional'}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setMissing(false);
            }}
            error={missing ? 'Say why the appointment is cancelled.' : undefined}
            withAsterisk={action === 'cancel'}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep it
            </Button>
            <Button type="submit" color="red" loading={close.isPending}>
              {action === 'cancel' ? 'Cancel appointment' : 'Mark no-show'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
