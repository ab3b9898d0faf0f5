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
import { scheduling, waitlist } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { WaitlistEntry, WaitlistQuery } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { usePageTitle } from '../../pageTitle.js';
import {
  SCHEDULING_KEY,
  useAppointmentTypes,
  WAITLIST_KEY,
  waitlistCriteria,
  WaitlistStatusBadge,
} from './shared.js';
import { formatDayTime, formatTime, zoneLabel } from './time.js';

const STATUS_FILTERS = [
  { value: 'waiting,offered', label: 'Waiting and offered' },
  { value: 'offered', label: 'Offered' },
  { value: 'booked', label: 'Booked' },
  { value: 'withdrawn', label: 'Removed' },
  { value: 'expired', label: 'Expired' },
];

type Acting = { entry: WaitlistEntry; action: 'book' | 'remove' };

/**
 * Clients waiting for a slot, most urgent first, for schedulers: what each asks for, the slot
 * offered when one was freed (and until when), booking an offer (the booking decides: nothing
 * is held) and taking an entry off the list. Offers arrive from cancellations in the background,
 * so the list refreshes every 30 seconds.
 */
export function WaitlistPage() {
  usePageTitle('Waitlist');
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('waiting,offered');
  const [typeId, setTypeId] = useState('all');
  const [acting, setActing] = useState<Acting | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const query: WaitlistQuery = { status, ...(typeId === 'all' ? {} : { appointmentTypeId: typeId }) };
  const list = useQuery({
    queryKey: [...WAITLIST_KEY, 'list', query],
    queryFn: () => waitlist.list(query),
    refetchInterval: 30_000,
  });
  const types = useAppointmentTypes();
  const resources = useQuery({
    queryKey: [...SCHEDULING_KEY, 'resources', 'all'],
    queryFn: () => scheduling.resources({ active: 'true', limit: 200 }),
    staleTime: 60_000,
  });
  const timeZone = list.data?.timeZone;
  const mayWrite = can(me, PERMISSIONS.writeAppointments);
  const typeName = (id: string) => types.data?.find((t) => t.id === id)?.name ?? 'Appointment';
  const resourceName = (id: string) => resources.data?.items.find((r) => r.id === id)?.name ?? 'Resource';
  const who = (e: WaitlistEntry) => e.clientName ?? 'Client';

  const columns: DataTableColumn<WaitlistEntry>[] = [
    {
      key: 'client',
      header: 'Client',
      rowHeader: true,
      cell: (e) => (
        <Anchor component={Link} to={`/clients/${e.clientId}?tab=appointments`} size="sm">
          {who(e)}
        </Anchor>
      ),
    },
    { key: 'type', header: 'Type', cell: (e) => typeName(e.appointmentTypeId) },
    { key: 'priority', header: 'Priority', cell: (e) => String(e.priority) },
    { key: 'wants', header: 'Can make', cell: (e) => waitlistCriteria(e, resourceName) },
    {
      key: 'since',
      header: 'Waiting since',
      cell: (e) => (timeZone ? formatDayTime(e.createdAt, timeZone) : ''),
    },
    { key: 'status', header: 'Status', cell: (e) => <WaitlistStatusBadge status={e.status} /> },
    {
      key: 'offer',
      header: 'Offer',
      cell: (e) =>
        e.offer && timeZone ? (
          <Stack gap={2}>
            <Text size="sm">
              {formatDayTime(e.offer.startsAt, timeZone)} – {formatTime(e.offer.endsAt, timeZone)} with{' '}
              {e.offer.resourceIds.map(resourceName).join(', ')}
            </Text>
            {e.offer.expired ? (
              <StatusBadge tone="warning">Offer time is up</StatusBadge>
            ) : (
              <Text size="sm" c="dimmed">
                Offered until {formatDayTime(e.offer.expiresAt, timeZone)}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm" c="dimmed">
            —
          </Text>
        ),
    },
    {
      key: 'actions',
      header: 'Actions',
      cell: (e) => {
        if (!mayWrite || (e.status !== 'waiting' && e.status !== 'offered')) return null;
        return (
          <Group gap={6} wrap="nowrap">
            {e.offer ? (
              <Button
                size="compact-sm"
                onClick={() => setActing({ entry: e, action: 'book' })}
                aria-label={`Book offer for ${who(e)}`}
              >
                Book offer
              </Button>
            ) : null}
            <Button
              size="compact-sm"
              variant="default"
              onClick={() => setActing({ entry: e, action: 'remove' })}
              aria-label={`Remove ${who(e)} from the waitlist (${typeName(e.appointmentTypeId)})`}
            >
              Remove
            </Button>
          </Group>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="Waitlist"
        description={
          timeZone
            ? `Most urgent first, then longest waiting. Times are the agency’s: ${zoneLabel(timeZone)}.`
            : 'Clients waiting for a slot.'
        }
      />
      <ProblemAlert problem={problemOf(list.error)} />
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Done">
          {notice}
        </Alert>
      ) : null}
      <Group mb="md" align="flex-end">
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => setStatus(v ?? 'waiting,offered')}
          data={STATUS_FILTERS}
          w={240}
        />
        <SelectField
          label="Appointment type"
          value={typeId}
          onChange={(v) => setTypeId(v ?? 'all')}
          data={[
            { value: 'all', label: 'All types' },
            ...(types.data ?? []).map((t) => ({ value: t.id, label: t.name })),
          ]}
          w={240}
        />
      </Group>
      <DataTable
        caption="Waitlist entries"
        columns={columns}
        rows={list.isPending ? undefined : (list.data?.items ?? [])}
        rowKey={(e) => e.id}
        loading={list.isPending}
        emptyMessage="Nobody is on the waitlist with these filters."
        itemNoun="entries"
      />
      {acting?.action === 'book' && acting.entry.offer && timeZone ? (
        <BookOfferDialog
          entry={acting.entry}
          who={who(acting.entry)}
          what={`${typeName(acting.entry.appointmentTypeId)} on ${formatDayTime(
            acting.entry.offer.startsAt,
            timeZone,
          )} with ${acting.entry.offer.resourceIds.map(resourceName).join(', ')}`}
          onClose={() => setActing(null)}
          onDone={(message) => {
            setActing(null);
            setNotice(message);
            void queryClient.invalidateQueries({ queryKey: SCHEDULING_KEY });
          }}
        />
      ) : null}
      {acting?.action === 'remove' ? (
        <RemoveDialog
          entry={acting.entry}
          who={who(acting.entry)}
          onClose={() => setActing(null)}
          onDone={(message) => {
            setActing(null);
            setNotice(message);
            void queryClient.invalidateQueries({ queryKey: WAITLIST_KEY });
          }}
        />
      ) : null}
    </>
  );
}

/** Accepting an offer books the slot for the entry's client; a time taken meanwhile is refused (409). */
function BookOfferDialog({
  entry,
  who,
  what,
  onClose,
  onDone,
}: {
  entry: WaitlistEntry;
  who: string;
  what: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const book = useMutation({
    mutationFn: () =>
      scheduling.book({
        clientId: entry.clientId,
        appointmentTypeId: entry.appointmentTypeId,
        startsAt: entry.offer?.startsAt ?? '',
        resourceIds: entry.offer?.resourceIds ?? [],
        waitlistEntryId: entry.id,
      }),
    onSuccess: () => onDone(`${who} is booked: ${what}.`),
    // Whatever the refusal, the list may have changed (the slot taken, the offer handed on).
    onError: () => void queryClient.invalidateQueries({ queryKey: WAITLIST_KEY }),
  });
  const title = 'Book this offer?';
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      <form
        aria-label={title}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          book.mutate();
        }}
      >
        <Stack gap="md">
          <Text size="sm">
            {who}: {what}.
          </Text>
          <Text size="sm" c="dimmed">
            The offer holds nothing: if the time was booked meanwhile, the booking is refused and the entry
            stays on the list.
          </Text>
          <ProblemAlert problem={problemOf(book.error)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Not now
            </Button>
            <Button type="submit" loading={book.isPending} data-autofocus>
              Book appointment
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Taking an entry off the list ends its open offer; a reason is optional. */
function RemoveDialog({
  entry,
  who,
  onClose,
  onDone,
}: {
  entry: WaitlistEntry;
  who: string;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const remove = useMutation({
    mutationFn: () => waitlist.withdraw(entry.id, reason.trim() || undefined),
    onSuccess: () => onDone(`${who} is off the waitlist.`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    remove.mutate();
  };
  const title = 'Remove from the waitlist?';
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': 'Close' }}>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          <Text size="sm">
            {who} no longer waits for a slot{entry.offer ? ', and the open offer ends' : ''}.
          </Text>
          <ProblemAlert problem={problemOf(remove.error)} fieldLabels={{ reason: 'Reason' }} />
          <TextField
            label="Reason"
            description="Optional, e.g. “seen elsewhere”"
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Keep on the list
            </Button>
            <Button type="submit" color="red" loading={remove.isPending}>
              Remove
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
