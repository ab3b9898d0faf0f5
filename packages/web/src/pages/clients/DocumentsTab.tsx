import {
  DataTable,
  LoadingState,
  ProblemAlert,
  SectionCard,
  StatusBadge,
  type DataTableColumn,
} from '@ehrms/ui';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { documents } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { ClientDocument } from '../../api/types.js';
import { can, PERMISSIONS } from '../../auth/permissions.js';
import { useMe } from '../../auth/useSession.js';
import { codeLabel, formatDate } from '../../format.js';
import { RedisclosureNotice } from './ProgramsTab.js';
import { CLIENTS_KEY } from './shared.js';
import { UploadDocumentForm } from './UploadDocumentForm.js';

/**
 * The client's documents, newest first, with a download of the current version, and (for those
 * who may file documents) an upload form. Part 2 documents the user may not see are only counted.
 */
export function DocumentsTab({ clientId }: { clientId: string }) {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState(false);
  const [uploaded, setUploaded] = useState<string | null>(null);
  const list = useInfiniteQuery({
    queryKey: [...CLIENTS_KEY, clientId, 'documents'],
    queryFn: ({ pageParam }) => documents.list({ clientId, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const download = useMutation({ mutationFn: saveDocument });
  const pages = list.data?.pages ?? [];
  const withheld = pages.reduce((n, p) => n + p.withheld, 0);
  const notice = pages.find((p) => p.redisclosureNotice)?.redisclosureNotice;

  const columns: DataTableColumn<ClientDocument>[] = [
    { key: 'title', header: 'Title', rowHeader: true, cell: (d) => d.title },
    { key: 'category', header: 'Category', cell: (d) => codeLabel(d.category) },
    { key: 'date', header: 'Dated', cell: (d) => formatDate(d.documentDate) },
    {
      key: 'flags',
      header: 'Notes',
      cell: (d) => (
        <Group gap={4}>
          {d.part2 ? <StatusBadge tone="info">42 CFR Part 2</StatusBadge> : null}
          {d.legalHold ? <StatusBadge tone="warning">Legal hold</StatusBadge> : null}
          {d.currentVersion.number > 1 ? (
            <Text span size="sm">
              Version {d.currentVersion.number}
            </Text>
          ) : null}
        </Group>
      ),
    },
    {
      key: 'download',
      header: 'File',
      cell: (d) => (
        <Button
          size="xs"
          variant="default"
          onClick={() => download.mutate(d)}
          loading={download.isPending && download.variables.id === d.id}
          aria-label={`Download ${d.title}`}
        >
          Download
        </Button>
      ),
    },
  ];

  return (
    <SectionCard title="Documents">
      {uploaded ? (
        <Alert
          color="green"
          role="status"
          mb="md"
          withCloseButton
          closeButtonLabel="Dismiss"
          onClose={() => setUploaded(null)}
        >
          {uploaded}
        </Alert>
      ) : null}
      {uploading ? (
        <UploadDocumentForm
          clientId={clientId}
          onCancel={() => setUploading(false)}
          onUploaded={(document) => {
            setUploading(false);
            setUploaded(`“${document.title}” was filed on the record.`);
            void queryClient.invalidateQueries({ queryKey: [...CLIENTS_KEY, clientId, 'documents'] });
          }}
        />
      ) : can(me, PERMISSIONS.fileDocuments) ? (
        <Group mb="md">
          <Button
            onClick={() => {
              setUploaded(null);
              setUploading(true);
            }}
          >
            Upload a document
          </Button>
        </Group>
      ) : null}
      {list.isPending ? <LoadingState label="Loading documents…" /> : null}
      <ProblemAlert problem={problemOf(list.error ?? download.error)} />
      {list.isSuccess ? (
        <DataTable
          caption="Documents"
          captionHidden
          columns={columns}
          rows={pages.flatMap((p) => p.items)}
          rowKey={(d) => d.id}
          emptyMessage="No documents on record."
          hasMore={list.hasNextPage}
          onLoadMore={() => void list.fetchNextPage()}
          loadingMore={list.isFetchingNextPage}
          itemNoun="documents"
        />
      ) : null}
      {withheld > 0 ? (
        <Text size="sm" mt="xs" fw={600}>
          {withheld} withheld (42 CFR Part 2)
        </Text>
      ) : null}
      {notice ? <RedisclosureNotice text={notice} /> : null}
    </SectionCard>
  );
}

async function saveDocument(document: ClientDocument): Promise<void> {
  const blob = await documents.content(document.id);
  const url = URL.createObjectURL(blob);
  const link = window.document.createElement('a');
  link.href = url;
  link.download = document.currentVersion.filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
