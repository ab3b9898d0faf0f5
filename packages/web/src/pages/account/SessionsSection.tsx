import { DataTable, ProblemAlert, type DataTableColumn } from '@ehrms/ui';
import { Badge, Button, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { me } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { SessionInfo } from '../../api/types.js';
import { formatDateTime } from '../../format.js';

const SESSIONS_KEY = ['my-sessions'] as const;

export function SessionsSection() {
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: SESSIONS_KEY, queryFn: me.sessions });
  const revoke = useMutation({
    mutationFn: (id: string) => me.revokeSession(id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });

  const columns: DataTableColumn<SessionInfo>[] = [
    {
      key: 'started',
      header: 'Signed in',
      rowHeader: true,
      cell: (s) => (
        <>
          {formatDateTime(s.createdAt)}{' '}
          {s.current ? (
            <Badge variant="outline" ml={4}>
              This session
            </Badge>
          ) : null}
        </>
      ),
    },
    { key: 'last', header: 'Last active', cell: (s) => formatDateTime(s.lastUsedAt) },
    { key: 'ip', header: 'IP address', cell: (s) => s.ip ?? '—' },
    { key: 'device', header: 'Browser or device', cell: (s) => <DeviceName userAgent={s.userAgent} /> },
    {
      key: 'action',
      header: 'Action',
      cell: (s) =>
        s.current ? (
          <Text size="sm">Use Sign out in the account menu</Text>
        ) : (
          <Button
            size="xs"
            variant="default"
            onClick={() => revoke.mutate(s.id)}
            loading={revoke.isPending && revoke.variables === s.id}
            aria-label={`Sign out the session started ${formatDateTime(s.createdAt)}`}
          >
            Sign out
          </Button>
        ),
    },
  ];

  return (
    <>
      <Text size="sm" mb="sm">
        Sign out any session you do not recognise, then change your password.
      </Text>
      <ProblemAlert problem={problemOf(sessions.error ?? revoke.error)} />
      <DataTable
        caption="Your sessions"
        captionHidden
        columns={columns}
        rows={sessions.data?.items}
        rowKey={(s) => s.id}
        loading={sessions.isPending}
        emptyMessage="No active sessions."
        itemNoun="sessions"
      />
    </>
  );
}

function DeviceName({ userAgent }: { userAgent: string | null }) {
  if (!userAgent) return <>Unknown</>;
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  const name = [browser, os].filter(Boolean).join(' on ');
  return <span title={userAgent}>{name || userAgent.slice(0, 60)}</span>;
}
