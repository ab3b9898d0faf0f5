import { PageHeader, ProblemAlert, SectionCard, SelectField, StatusBadge, type StatusTone } from '@ehrms/ui';
import { Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { beds } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Bed, BedState } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { usePageTitle } from '../../pageTitle.js';
import { BedActionDialog, type DialogAction } from './BedActionDialog.js';
import { boardKey, useBedBoardStream, type LiveStatus } from './useBedBoardStream.js';

export const STATE_LABELS: Record<BedState, string> = {
  available: 'Available',
  held: 'Held',
  occupied: 'Occupied',
  cleaning: 'Cleaning',
  out_of_service: 'Out of service',
};
const STATE_TONES: Record<BedState, StatusTone> = {
  available: 'success',
  held: 'warning',
  occupied: 'info',
  cleaning: 'neutral',
  out_of_service: 'danger',
};
/** The card's edge repeats the state's colour; the badge's words carry the meaning. */
const STATE_EDGES: Record<BedState, string> = {
  available: 'var(--mantine-color-green-7)',
  held: 'var(--mantine-color-yellow-7)',
  occupied: 'var(--mantine-color-blue-7)',
  cleaning: 'var(--mantine-color-gray-6)',
  out_of_service: 'var(--mantine-color-red-9)',
};
const LIVE_LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: changes by others appear as they happen',
  offline: 'Live updates interrupted; reconnecting…',
};

/** The live bed board of a facility: beds by unit and room, coloured and labelled by state. */
export function BedBoardPage() {
  usePageTitle('Bed board');
  const me = useMe();
  const mayManage = can(me.data, PERMISSIONS.manageBeds);
  const [params, setParams] = useSearchParams();
  const facilities = useQuery({ queryKey: ['beds', 'facilities'], queryFn: () => beds.facilities() });
  const facilityId = params.get('facility') ?? facilities.data?.items[0]?.id ?? null;
  const board = useQuery({
    queryKey: boardKey(facilityId ?? ''),
    queryFn: () => beds.board(facilityId ?? ''),
    enabled: facilityId !== null,
  });
  const live = useBedBoardStream(facilityId);
  const [dialog, setDialog] = useState<{ action: DialogAction; bed: Bed } | null>(null);
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: boardKey(facilityId ?? '') });
  const quick = useMutation({
    mutationFn: ({ bed, action }: { bed: Bed; action: 'clean' | 'inService' | 'releaseHold' }) =>
      beds[action](bed.id),
    onSuccess: refresh,
  });

  const allBeds = board.data?.units.flatMap((u) => u.beds) ?? [];
  const options = facilities.data?.items.map((f) => ({ value: f.id, label: f.name })) ?? [];

  return (
    <Stack gap="lg">
      <PageHeader
        title="Bed board"
        description={board.data ? board.data.facility.name : 'Beds by unit, with who is in them.'}
        actions={
          options.length > 1 ? (
            <SelectField
              label="Facility"
              data={options}
              value={facilityId}
              allowDeselect={false}
              onChange={(value) => value && setParams({ facility: value })}
            />
          ) : null
        }
      />
      <Text size="sm" role="status" c="dimmed">
        {LIVE_LABELS[live]}
      </Text>
      <ProblemAlert problem={problemOf(facilities.error ?? board.error ?? quick.error)} />
      {facilities.isSuccess && facilities.data.items.length === 0 ? (
        <Text>No facility's bed board is open to you.</Text>
      ) : null}
      {board.data?.units.map((unit) => {
        const counts = countStates(unit.beds);
        return (
          <SectionCard key={unit.id} title={`${unit.name} · ${unit.levelOfCare.replaceAll('_', ' ')}`}>
            <Text size="sm" mb="sm">
              {counts}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3, lg: 4 }} spacing="sm">
              {unit.beds.map((bed) => (
                <BedCard
                  key={bed.id}
                  bed={bed}
                  mayManage={mayManage}
                  busy={quick.isPending}
                  onAction={(action) => {
                    if (action === 'clean' || action === 'inService' || action === 'releaseHold') {
                      quick.mutate({ bed, action });
                    } else setDialog({ action, bed });
                  }}
                />
              ))}
            </SimpleGrid>
          </SectionCard>
        );
      })}
      {dialog ? (
        <BedActionDialog
          action={dialog.action}
          bed={dialog.bed}
          freeBeds={allBeds.filter((b) => b.state === 'available' && b.id !== dialog.bed.id)}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            refresh();
          }}
        />
      ) : null}
    </Stack>
  );
}

type CardAction = DialogAction | 'clean' | 'inService' | 'releaseHold';

function BedCard({
  bed,
  mayManage,
  busy,
  onAction,
}: {
  bed: Bed;
  mayManage: boolean;
  busy: boolean;
  onAction: (action: CardAction) => void;
}) {
  const name = `${bed.roomName} ${bed.label}`;
  const actions: { action: CardAction; label: string }[] = {
    available: [
      { action: 'admit' as const, label: 'Admit' },
      { action: 'hold' as const, label: 'Hold' },
      { action: 'outOfService' as const, label: 'Out of service' },
    ],
    held: [
      { action: 'admit' as const, label: 'Admit' },
      { action: 'releaseHold' as const, label: 'Release hold' },
    ],
    occupied: [
      { action: 'transfer' as const, label: 'Transfer' },
      { action: 'discharge' as const, label: 'Discharge' },
    ],
    cleaning: [
      { action: 'clean' as const, label: 'Mark clean' },
      { action: 'outOfService' as const, label: 'Out of service' },
    ],
    out_of_service: [{ action: 'inService' as const, label: 'Back in service' }],
  }[bed.state];
  return (
    <Card
      withBorder
      padding="sm"
      component="article"
      aria-label={`Bed ${name}`}
      style={{ borderLeft: `6px solid ${STATE_EDGES[bed.state]}` }}
    >
      <Group justify="space-between" gap="xs" mb={4}>
        <Text fw={700}>Bed {name}</Text>
        <StatusBadge tone={STATE_TONES[bed.state]}>{STATE_LABELS[bed.state]}</StatusBadge>
      </Group>
      <Text size="sm">{describe(bed)}</Text>
      {bed.genderRestriction !== 'none' || bed.accessible ? (
        <Text size="xs" c="dimmed">
          {[
            bed.genderRestriction !== 'none' ? `${bed.genderRestriction} only` : null,
            bed.accessible ? 'accessible' : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </Text>
      ) : null}
      {mayManage ? (
        <Group gap={6} mt="xs">
          {actions.map(({ action, label }) => (
            <Button
              key={action}
              size="compact-sm"
              variant="light"
              disabled={busy}
              aria-label={`${label}: bed ${name}`}
              onClick={() => onAction(action)}
            >
              {label}
            </Button>
          ))}
        </Group>
      ) : null}
    </Card>
  );
}

function describe(bed: Bed): string {
  if (bed.occupant) return bed.occupant.nameWithheld ? 'Occupied (name withheld)' : (bed.occupant.name ?? '');
  if (bed.hold) {
    const until = new Date(bed.hold.expiresAt).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
    const whom = bed.hold.name ?? (bed.hold.nameWithheld ? 'a client (name withheld)' : 'a referral');
    return `Held for ${whom} until ${until}`;
  }
  if (bed.state === 'out_of_service') return bed.stateReason ?? 'Out of service';
  if (bed.state === 'cleaning') return 'Waiting to be cleaned';
  return 'Empty';
}

function countStates(list: Bed[]): string {
  const occupied = list.filter((b) => b.state === 'occupied').length;
  const available = list.filter((b) => b.state === 'available').length;
  return `${occupied} of ${list.length} beds occupied, ${available} available`;
}
