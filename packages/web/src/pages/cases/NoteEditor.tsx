import {
  mapProblemToFieldErrors,
  ProblemAlert,
  SelectField,
  TextAreaField,
  TextField,
  type FieldErrors,
} from '@ehrms/ui';
import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { caseNotes } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { CaseNote, NoteType } from '../../api/types.js';
import { formatDateTime } from '../../format.js';
import { NOTE_TYPE_LABELS } from './shared.js';

export interface NoteEditorProps {
  caseId: string;
  /** A draft of the user's to change; without it (and without `parent`) a new note is drafted. */
  draft?: CaseNote;
  /** The signed note a new addendum adds to. */
  parent?: CaseNote;
  onSaved: (note: CaseNote) => void;
  onCancel: () => void;
  /** After a 412 (someone else changed the draft): reload it. */
  onStale?: () => void;
}

interface Form {
  noteType: NoteType;
  contactAt: string;
  durationMinutes: string;
  body: string;
  requiresCosign: boolean;
  lateEntry: boolean;
}

const LABELS = {
  noteType: 'Note type',
  contactAt: 'Contact time',
  durationMinutes: 'Duration (minutes)',
  body: 'Note',
  requiresCosign: 'Needs a supervisor’s co-signature',
  lateEntry: 'Late entry',
};

/**
 * Drafting a note or an addendum; signing is a separate, confirmed step. An addendum takes its
 * type and contact time from the note it adds to, so only its text and co-signature are asked.
 */
export function NoteEditor({ caseId, draft, parent, onSaved, onCancel, onStale }: NoteEditorProps) {
  const addendum = parent !== undefined || (draft !== undefined && draft.parentNoteId !== null);
  const [form, setForm] = useState<Form>(() => initialForm(draft));
  const [checked, setChecked] = useState<FieldErrors>({});

  const save = useMutation({
    mutationFn: () => {
      const text = { body: form.body.trim(), requiresCosign: form.requiresCosign };
      if (addendum)
        return draft ? caseNotes.update(draft, text) : caseNotes.addAddendum(parentOf(parent), text);
      const note = {
        ...text,
        noteType: form.noteType,
        contactAt: new Date(form.contactAt).toISOString(),
        durationMinutes: form.durationMinutes ? Number(form.durationMinutes) : null,
        lateEntry: form.lateEntry,
      };
      return draft ? caseNotes.update(draft, note) : caseNotes.create(caseId, note);
    },
    onSuccess: onSaved,
  });
  const stale = save.error instanceof ApiError && save.error.status === 412;
  const problem = problemOf(save.error);
  const errors = { ...mapProblemToFieldErrors(problem, Object.keys(LABELS)), ...checked };
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(form, addendum);
    setChecked(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  const title = addendum
    ? draft
      ? 'Edit addendum draft'
      : `Addendum to the note of ${formatDateTime(parentOf(parent).contactAt)}`
    : draft
      ? 'Edit draft note'
      : 'New note';

  return (
    <Paper withBorder p="md" mb="md">
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack gap="md">
          <Text fw={600}>{title}</Text>
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          {stale && onStale ? (
            <Button variant="default" onClick={onStale} w="fit-content">
              Load the latest version (discards your changes)
            </Button>
          ) : null}
          {addendum ? null : (
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
              <SelectField
                label={LABELS.noteType}
                value={form.noteType}
                onChange={(v) => set('noteType', (v ?? 'contact') as NoteType)}
                data={Object.entries(NOTE_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
                error={errors.noteType}
                withAsterisk
              />
              <TextField
                label={LABELS.contactAt}
                type="datetime-local"
                value={form.contactAt}
                onChange={(e) => set('contactAt', e.currentTarget.value)}
                error={errors.contactAt}
                withAsterisk
              />
              <TextField
                label={LABELS.durationMinutes}
                type="number"
                inputMode="numeric"
                min={0}
                max={1440}
                value={form.durationMinutes}
                onChange={(e) => set('durationMinutes', e.currentTarget.value)}
                error={errors.durationMinutes}
              />
            </SimpleGrid>
          )}
          <TextAreaField
            label={addendum ? 'Addendum' : LABELS.body}
            description={addendum ? 'What you add to or correct in the signed note' : undefined}
            value={form.body}
            onChange={(e) => set('body', e.currentTarget.value)}
            error={errors.body}
            withAsterisk
            minRows={5}
          />
          <Group gap="lg">
            <Checkbox
              label={LABELS.requiresCosign}
              checked={form.requiresCosign}
              onChange={(e) => set('requiresCosign', e.currentTarget.checked)}
            />
            {addendum ? null : (
              <Checkbox
                label="Mark as a late entry"
                checked={form.lateEntry}
                onChange={(e) => set('lateEntry', e.currentTarget.checked)}
              />
            )}
          </Group>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {addendum ? 'Save addendum draft' : 'Save draft'}
            </Button>
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function parentOf(parent: CaseNote | undefined): CaseNote {
  if (!parent) throw new Error('an addendum needs the note it adds to');
  return parent;
}

function initialForm(draft: CaseNote | undefined): Form {
  return {
    noteType: draft?.noteType ?? 'contact',
    contactAt: toLocalInput(draft ? new Date(draft.contactAt) : new Date()),
    durationMinutes: draft?.durationMinutes?.toString() ?? '',
    body: draft?.body ?? '',
    requiresCosign: draft?.requiresCosign ?? false,
    lateEntry: draft?.lateEntry ?? false,
  };
}

/** A `datetime-local` value (the user's own clock), e.g. 2026-05-01T14:30. */
function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function validate(form: Form, addendum: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.body.trim()) errors.body = addendum ? 'Write the addendum.' : 'Write the note.';
  if (addendum) return errors;
  const contact = new Date(form.contactAt);
  if (!form.contactAt || Number.isNaN(contact.getTime()))
    errors.contactAt = 'Enter when the contact took place.';
  else if (contact.getTime() > Date.now() + 60_000) errors.contactAt = 'A contact cannot be in the future.';
  const minutes = Number(form.durationMinutes);
  if (form.durationMinutes && (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440)) {
    errors.durationMinutes = 'Enter whole minutes, up to 1440.';
  }
  return errors;
}
