import { Button, Group, Loader, Table, Text, VisuallyHidden } from '@mantine/core';
import type { KeyboardEvent, ReactNode } from 'react';
import './styles.css';

export interface DataTableColumn<T> {
  /** Stable key for React. */
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Cell for the column that names the row; rendered as a row header (`<th scope="row">`). */
  rowHeader?: boolean;
  width?: number | string;
}

export interface DataTableProps<T> {
  /** What the table lists; read by screen readers and shown unless `captionHidden`. */
  caption: string;
  captionHidden?: boolean;
  columns: readonly DataTableColumn<T>[];
  rows: readonly T[] | undefined;
  rowKey: (row: T) => string;
  /** First page is loading (no rows yet). */
  loading?: boolean;
  emptyMessage?: ReactNode;
  /** Makes each row focusable; Enter, Space or a click activates it. */
  onRowActivate?: (row: T) => void;
  /** Accessible label for an activatable row, e.g. "Open Jane Doe". */
  rowLabel?: (row: T) => string;
  /** Cursor pagination: show "Load more" while another page exists. */
  hasMore?: boolean;
  onLoadMore?: () => void;
  loadingMore?: boolean;
  /** Noun for the count line, e.g. "users" → "Showing 25 users". */
  itemNoun?: string;
}

/** A typed, accessible table: caption, header cells with scope, loading/empty states, load more. */
export function DataTable<T>({
  caption,
  captionHidden,
  columns,
  rows,
  rowKey,
  loading,
  emptyMessage = 'Nothing to show.',
  onRowActivate,
  rowLabel,
  hasMore,
  onLoadMore,
  loadingMore,
  itemNoun = 'rows',
}: DataTableProps<T>) {
  const list = rows ?? [];
  const busy = Boolean(loading) || Boolean(loadingMore);

  const activateOnKey = (row: T) => (event: KeyboardEvent<HTMLTableRowElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onRowActivate?.(row);
    }
  };

  return (
    <div>
      <Table.ScrollContainer minWidth={600}>
        <Table striped highlightOnHover={Boolean(onRowActivate)} captionSide="top" aria-busy={busy}>
          <Table.Caption style={{ textAlign: 'left' }}>
            {captionHidden ? <VisuallyHidden>{caption}</VisuallyHidden> : caption}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {columns.map((col) => (
                <Table.Th key={col.key} scope="col" style={col.width ? { width: col.width } : undefined}>
                  {col.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loading && list.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Group gap="xs" py="sm">
                    <Loader size="sm" aria-hidden />
                    <Text size="sm">Loading…</Text>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ) : list.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Text size="sm" py="sm">
                    {emptyMessage}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : (
              list.map((row) => (
                <Table.Tr
                  key={rowKey(row)}
                  tabIndex={onRowActivate ? 0 : undefined}
                  className={onRowActivate ? 'ehrms-row-action' : undefined}
                  aria-label={onRowActivate && rowLabel ? rowLabel(row) : undefined}
                  onClick={onRowActivate ? () => onRowActivate(row) : undefined}
                  onKeyDown={onRowActivate ? activateOnKey(row) : undefined}
                >
                  {columns.map((col) =>
                    col.rowHeader ? (
                      <Table.Th key={col.key} scope="row" fw={500}>
                        {col.cell(row)}
                      </Table.Th>
                    ) : (
                      <Table.Td key={col.key}>{col.cell(row)}</Table.Td>
                    ),
                  )}
                </Table.Tr>
              ))
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group justify="space-between" mt="sm">
        <Text size="sm" c="dimmed" role="status">
          {loading && list.length === 0 ? '' : `Showing ${list.length} ${itemNoun}`}
        </Text>
        {hasMore && onLoadMore ? (
          <Button variant="default" onClick={onLoadMore} loading={loadingMore}>
            Load more
          </Button>
        ) : null}
      </Group>
    </div>
  );
}
