import { ConfirmDialog, ProblemAlert, StatusBadge } from '@ehrms/ui';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { caseNotes } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { CaseNote } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { useUserName } from '../../directory.js';
import { formatDateTime } from '../../format.js';
import { NoteEditor } from './NoteEditor.js';
import { NOTE_TYPE_LABELS } from './shared.js';

export interface NoteCardProps {
  note: CaseNote;
  /** Notes may be written on this case (open, reached through the user's scope). */
  writable: boolean;
  /** The list changed on the server: refetch it. */
  onChanged: () => void;
  /** Shown under a signed original: its addenda and the "Add addendum" action. */
  children?: ReactNode;
  onAddAddendum?: () => void;
  /** Take keyboard focus when shown (a note just saved). */
  autoFocus?: boolean;
}

/**
 * One note. A draft is its author's to edit or sign (signing asks first: it locks the note);
 * a signed note is read-only, corrected only by addenda; a note needing a co-signature says so.
 */
export function NoteCard({ note, writable, onChanged, children, onAddAddendum, autoFocus }: NoteCardProps) {
  const titleId = useId();
  const focus = useFocusAfterChange(note, autoFocus);
  const { data: me } = useMe();
  const author = useUserName(note.authorId, 'Another worker');
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<'sign' | 'cosign' | null>(null);
  const addendum = note.parentNoteId !== null;
  const draft = note.status === 'draft';
  const mine = note.authorId === me?.id;

  const act = useMutation({
    mutationFn: (action: 'sign' | 'cosign') =>
      action === 'sign' ? caseNotes.sign(note) : caseNotes.cosign(note),
    onSuccess: () => {
      setConfirm(null);
      onChanged();
    },
  });
  const mayCosign =
    can(me, PERMISSIONS.cosignNotes) && note.requiresCosign && !note.cosignedAt && !draft && !mine;

  if (editing) {
    return (
      <NoteEditor
        caseId={note.caseId}
        draft={note}
        onSaved={() => {
          setEditing(false);
          focus.request();
          onChanged();
        }}
        onCancel={() => {
          setEditing(false);
          focus.request();
        }}
        onStale={() => {
          setEditing(false);
          onChanged();
        }}
      />
    );
  }

  return (
    <Card
      ref={focus.ref}
      tabIndex={-1}
      withBorder
      padding="md"
      component="article"
      aria-labelledby={titleId}
      ml={addendum ? 'xl' : 0}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={addendum ? 4 : 3} size="h5" id={titleId}>
            {addendum ? 'Addendum' : `${NOTE_TYPE_LABELS[note.noteType]} note`} —{' '}
            {formatDateTime(note.contactAt)}
          </Title>
          <NoteBadges note={note} />
        </Group>
        <Text size="sm" c="dimmed">
          {draft
            ? `Draft by ${author}, last saved ${formatDateTime(note.updatedAt)}`
            : `Signed by ${author} on ${formatDateTime(note.signedAt)}`}
          {note.durationMinutes !== null && !addendum ? ` · ${note.durationMinutes} minutes` : ''}
          {note.cosignedAt ? ` · Co-signed ${formatDateTime(note.cosignedAt)}` : ''}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {note.body}
        </Text>
        {confirm === null ? <ProblemAlert problem={problemOf(act.error)} /> : null}
        <Group gap="xs">
          {draft && mine && writable ? (
            <>
              <Button size="xs" variant="default" onClick={() => setEditing(true)}>
                Edit draft
              </Button>
              <Button size="xs" onClick={() => setConfirm('sign')}>
                {addendum ? 'Sign addendum' : 'Sign note'}
              </Button>
            </>
          ) : null}
          {!draft && !addendum && writable && onAddAddendum ? (
            <Button size="xs" variant="default" onClick={onAddAddendum}>
              Add addendum
            </Button>
          ) : null}
          {mayCosign ? (
            <Button size="xs" variant="default" onClick={() => setConfirm('cosign')}>
              Co-sign
            </Button>
          ) : null}
        </Group>
        {children}
      </Stack>
      <ConfirmDialog
        opened={confirm !== null}
        title={
          confirm === 'cosign' ? 'Co-sign this note?' : addendum ? 'Sign this addendum?' : 'Sign this note?'
        }
        confirmLabel={confirm === 'cosign' ? 'Co-sign' : 'Sign'}
        onConfirm={() => confirm && act.mutate(confirm)}
        onCancel={() => {
          setConfirm(null);
          act.reset();
        }}
        loading={act.isPending}
      >
        <Text size="sm">
          {confirm === 'cosign'
            ? 'Your co-signature is recorded with the date and time, and cannot be withdrawn.'
            : 'Once signed it cannot be changed or deleted. Corrections are made with an addendum.'}
        </Text>
        <ProblemAlert problem={problemOf(act.error)} />
      </ConfirmDialog>
    </Card>
  );
}

// Buttons that open and close editors and dialogs disappear as a note changes; keyboard and
// screen-reader focus goes to the note itself instead of being lost to the page.
function useFocusAfterChange(note: CaseNote, autoFocus: boolean | undefined) {
  const ref = useRef<HTMLDivElement>(null);
  const [requested, setRequested] = useState(Boolean(autoFocus));
  const status = useRef(note.status);
  useEffect(() => {
    if (status.current === 'draft' && note.status === 'signed') setRequested(true);
    status.current = note.status;
  }, [note.status]);
  useEffect(() => {
    if (!requested || !ref.current) return;
    ref.current.focus();
    setRequested(false);
  }, [requested]);
  return { ref, request: () => setRequested(true) };
}

function NoteBadges({ note }: { note: CaseNote }) {
  return (
    <Group gap={6}>
      {note.status === 'draft' ? (
        <StatusBadge tone="warning">Draft</StatusBadge>
      ) : (
        <StatusBadge tone="success">Signed</StatusBadge>
      )}
      {note.lateEntry ? <StatusBadge tone="warning">Late entry</StatusBadge> : null}
      {note.requiresCosign && !note.cosignedAt ? (
        <StatusBadge tone="warning">Needs co-sign</StatusBadge>
      ) : null}
      {note.cosignedAt ? <StatusBadge tone="success">Co-signed</StatusBadge> : null}
      {note.part2 ? <StatusBadge tone="info">42 CFR Part 2</StatusBadge> : null}
    </Group>
  );
}
