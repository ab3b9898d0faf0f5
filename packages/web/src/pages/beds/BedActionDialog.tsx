import { ProblemAlert, TextField } from '@ehrms/ui';
import { Button, Checkbox, Group, Modal, Radio, Select, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { beds, clients } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { Bed } from '../../api/types.js';

export type DialogAction = 'admit' | 'hold' | 'transfer' | 'discharge' | 'outOfService';

const TITLES: Record<DialogAction, string> = {
  admit: 'Admit to bed',
  hold: 'Hold bed',
  transfer: 'Transfer from bed',
  discharge: 'Discharge from bed',
  outOfService: 'Take bed out of service',
};

interface Warning {
  code: string;
  message: string;
}

/** The form for a move that needs more than a click: who, where to, or why. */
export function BedActionDialog({
  action,
  bed,
  freeBeds,
  onClose,
  onDone,
}: {
  action: DialogAction;
  bed: Bed;
  freeBeds: Bed[];
  onClose: () => void;
  onDone: () => void;
}) {
  const [clientId, setClientId] = useState<string | null>(
    action === 'admit' && bed.hold?.clientId ? bed.hold.clientId : null,
  );
  const [text, setText] = useState('');
  const [toBedId, setToBedId] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const needsClient = action === 'admit' || action === 'hold';

  const move = useMutation({
    mutationFn: () => {
      switch (action) {
        case 'admit':
          return beds.admit(bed.id, { clientId: clientId ?? '', acknowledgeWarnings: acknowledged });
        case 'hold':
          return beds.hold(bed.id, { clientId, note: text.trim() || null });
        case 'transfer':
          return beds.transfer(bed.id, { toBedId: toBedId ?? '', acknowledgeWarnings: acknowledged });
        case 'discharge':
          return beds.discharge(bed.id, text.trim());
        case 'outOfService':
          return beds.outOfService(bed.id, text.trim());
      }
    },
    onSuccess: onDone,
  });
  const warnings = warningsOf(move.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.mutate();
  };
  const ready =
    (needsClient ? clientId !== null : true) &&
    (action === 'transfer' ? toBedId !== null : true) &&
    (action === 'discharge' || action === 'outOfService' ? text.trim() !== '' : true) &&
    (warnings.length === 0 || acknowledged);

  return (
    <Modal
      opened
      onClose={onClose}
      title={`${TITLES[action]} ${bed.roomName} ${bed.label}`}
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {needsClient ? <ClientPicker value={clientId} onChange={setClientId} /> : null}
          {action === 'transfer' ? (
            <Select
              label="Move to bed"
              data={freeBeds.map((b) => ({ value: b.id, label: `${b.unitName}: ${b.roomName} ${b.label}` }))}
              value={toBedId}
              onChange={setToBedId}
              nothingFoundMessage="No bed is available"
            />
          ) : null}
          {action === 'discharge' ? (
            <TextField
              label="Disposition"
              required
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          ) : null}
          {action === 'outOfService' ? (
            <TextField
              label="Reason"
              required
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          ) : null}
          {action === 'hold' ? (
            <TextField
              label="Note (optional)"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
          ) : null}
          {warnings.length > 0 ? (
            <Stack gap="xs">
              {warnings.map((w) => (
                <Text key={w.code} size="sm" role="alert">
                  {w.message}
                </Text>
              ))}
              <Checkbox
                label="I have reviewed these warnings; place the client anyway"
                checked={acknowledged}
                onChange={(e) => setAcknowledged(e.currentTarget.checked)}
              />
            </Stack>
          ) : (
            <ProblemAlert problem={problemOf(move.error)} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={move.isPending} disabled={!ready}>
              {TITLES[action].split(' ')[0]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Finds a client by name (within the caller's scope) and picks one. */
function ClientPicker({ value, onChange }: { value: string | null; onChange: (id: string | null) => void }) {
  const [name, setName] = useState('');
  const [term, setTerm] = useState('');
  const found = useQuery({
    queryKey: ['beds', 'client-search', term],
    queryFn: () => clients.search({ q: term, limit: 10 }),
    enabled: term.length >= 2,
  });
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="xs">
        <TextField label="Client name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <Button variant="light" onClick={() => setTerm(name.trim())} disabled={name.trim().length < 2}>
          Find client
        </Button>
      </Group>
      <ProblemAlert problem={problemOf(found.error)} />
      {found.data ? (
        found.data.items.length === 0 ? (
          <Text size="sm">No client found.</Text>
        ) : (
          <Radio.Group label="Client" value={value} onChange={onChange}>
            <Stack gap={4} mt={4}>
              {found.data.items.map((c) => (
                <Radio
                  key={c.id}
                  value={c.id}
                  label={`${c.givenName} ${c.familyName} (born ${c.birthDate})`}
                />
              ))}
            </Stack>
          </Radio.Group>
        )
      ) : null}
    </Stack>
  );
}

function warningsOf(error: unknown): Warning[] {
  if (!(error instanceof ApiError) || error.status !== 409) return [];
  const problem = error.problem as { type?: string; warnings?: Warning[] };
  return problem.type?.endsWith('/bed-placement-warnings') ? (problem.warnings ?? []) : [];
}
