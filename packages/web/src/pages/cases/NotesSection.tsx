import { LoadingState, ProblemAlert, SectionCard } from '@ehrms/ui';
import { Button, Stack, Text } from '@mantine/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { caseNotes } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { CaseNote } from '../../api/types.js';
import { RedisclosureNotice } from '../clients/ProgramsTab.js';
import { NoteCard } from './NoteCard.js';
import { NoteEditor } from './NoteEditor.js';
import { notesKey } from './shared.js';

/** The case's notes, latest contact first, each with its addenda beneath it; writing a new one. */
export function NotesSection({ caseId, writable }: { caseId: string; writable: boolean }) {
  const queryClient = useQueryClient();
  const [writing, setWriting] = useState(false);
  const [addendumTo, setAddendumTo] = useState<string | null>(null);
  // The note just drafted takes focus once it is listed.
  const [saved, setSaved] = useState<string | null>(null);
  const notes = useInfiniteQuery({
    queryKey: notesKey(caseId),
    queryFn: ({ pageParam }) => caseNotes.list(caseId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: notesKey(caseId) });
  const pages = notes.data?.pages ?? [];
  const { originals, addendaOf, orphans } = thread(pages.flatMap((p) => p.items));
  const withheld = pages.reduce((n, p) => n + p.withheld, 0);
  const notice = pages.find((p) => p.redisclosureNotice)?.redisclosureNotice;

  return (
    <SectionCard
      title="Notes"
      actions={writable && !writing ? <Button onClick={() => setWriting(true)}>Write a note</Button> : null}
    >
      {writing ? (
        <NoteEditor
          caseId={caseId}
          onSaved={(note) => {
            setWriting(false);
            setSaved(note.id);
            refresh();
          }}
          onCancel={() => setWriting(false)}
        />
      ) : null}
      {notes.isPending ? <LoadingState label="Loading notes…" /> : null}
      {notes.isError ? <ProblemAlert problem={problemOf(notes.error)} /> : null}
      {notes.isSuccess && originals.length === 0 && orphans.length === 0 ? (
        <Text size="sm">No notes yet.</Text>
      ) : null}
      <Stack gap="md">
        {originals.map((note) => (
          <NoteCard
            key={note.id}
            note={note}
            writable={writable}
            onChanged={refresh}
            onAddAddendum={() => setAddendumTo(note.id)}
            autoFocus={note.id === saved}
          >
            {(addendaOf.get(note.id) ?? []).map((a) => (
              <NoteCard
                key={a.id}
                note={a}
                writable={writable}
                onChanged={refresh}
                autoFocus={a.id === saved}
              />
            ))}
            {addendumTo === note.id ? (
              <NoteEditor
                caseId={caseId}
                parent={note}
                onSaved={(addendum) => {
                  setAddendumTo(null);
                  setSaved(addendum.id);
                  refresh();
                }}
                onCancel={() => setAddendumTo(null)}
              />
            ) : null}
          </NoteCard>
        ))}
        {orphans.map((a) => (
          <NoteCard key={a.id} note={a} writable={writable} onChanged={refresh} />
        ))}
      </Stack>
      {withheld > 0 ? (
        <Text size="sm" mt="sm" fw={600}>
          {withheld} withheld (42 CFR Part 2)
        </Text>
      ) : null}
      {notice ? <RedisclosureNotice text={notice} /> : null}
      {notes.hasNextPage ? (
        <Button
          variant="default"
          mt="md"
          onClick={() => void notes.fetchNextPage()}
          loading={notes.isFetchingNextPage}
        >
          Load older notes
        </Button>
      ) : null}
    </SectionCard>
  );
}

/** Originals in list order; addenda grouped under their note, oldest first; addenda of notes not loaded yet apart. */
function thread(items: CaseNote[]) {
  const originals = items.filter((n) => n.parentNoteId === null);
  const loaded = new Set(originals.map((n) => n.id));
  const addendaOf = new Map<string, CaseNote[]>();
  const orphans: CaseNote[] = [];
  const addenda = items
    .filter((n) => n.parentNoteId !== null)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  for (const a of addenda) {
    const parent = a.parentNoteId ?? '';
    if (!loaded.has(parent)) {
      orphans.push(a);
      continue;
    }
    addendaOf.set(parent, [...(addendaOf.get(parent) ?? []), a]);
  }
  return { originals, addendaOf, orphans };
}
