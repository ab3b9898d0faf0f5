import {
  mapProblemToFieldErrors,
  MultiSelectField,
  PageHeader,
  ProblemAlert,
  TextField,
  type FieldErrors,
} from '@ehrms/ui';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { users } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { User, UserChanges } from '../../api/types.js';
import { formatDateTime } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { USER_FIELD_LABELS, USERS_KEY, UserStatusBadge, useRoleAndTeamOptions } from './shared.js';

const EDIT_FIELDS = ['displayName', 'roles', 'teamIds'];

/** One user: edit name, roles and teams (guarded by If-Match), deactivate or reactivate. */
export function EditUserPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const detail = useQuery({ queryKey: [...USERS_KEY, 'detail', id], queryFn: () => users.get(id) });
  // Bumped when the user chooses to load the latest version after a conflict: the form restarts.
  const [generation, setGeneration] = useState(0);
  usePageTitle(detail.data ? detail.data.user.displayName : 'User');

  if (detail.isPending) {
    return (
      <Group gap="xs">
        <Loader size="sm" aria-hidden />
        <Text role="status">Loading user…</Text>
      </Group>
    );
  }
  if (detail.isError) {
    return (
      <>
        <PageHeader title="User" />
        <ProblemAlert problem={problemOf(detail.error)} />
        <Anchor component={Link} to="/admin/users" mt="md" display="inline-block">
          Back to users
        </Anchor>
      </>
    );
  }

  const { user, etag } = detail.data;
  return (
    <>
      <PageHeader
        title={user.displayName}
        description={user.email}
        actions={
          <Button variant="default" component={Link} to="/admin/users">
            Back to users
          </Button>
        }
      />
      {notice ? (
        <Alert color="green" variant="light" role="status" mb="md" title="Done">
          {notice}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Card withBorder padding="lg" component="section" aria-labelledby="edit-user-title">
          <Title order={2} size="h3" id="edit-user-title" mb="md">
            Details
          </Title>
          <EditUserForm
            key={`${user.id}:${generation}`}
            user={user}
            etag={etag}
            onReload={() => void detail.refetch().then(() => setGeneration((g) => g + 1))}
          />
        </Card>
        <Stack gap="lg">
          <AccountStatusCard user={user} />
          <Card withBorder padding="lg" component="section" aria-labelledby="user-facts-title">
            <Title order={2} size="h3" id="user-facts-title" mb="sm">
              Account
            </Title>
            <dl style={{ margin: 0 }}>
              <Fact term="Email" value={user.email} />
              <Fact term="Two-step verification" value={user.mfaEnabled ? 'On' : 'Off'} />
              <Fact term="Created" value={formatDateTime(user.createdAt)} />
              <Fact term="Last changed" value={formatDateTime(user.updatedAt)} />
            </dl>
          </Card>
        </Stack>
      </SimpleGrid>
    </>
  );
}

function Fact({ term, value }: { term: string; value: string }) {
  return (
    <Group gap="xs" wrap="nowrap" mb={4}>
      <Text component="dt" size="sm" fw={600} miw={170}>
        {term}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {value}
      </Text>
    </Group>
  );
}

function EditUserForm({ user, etag, onReload }: { user: User; etag: string; onReload: () => void }) {
  const queryClient = useQueryClient();
  const options = useRoleAndTeamOptions();
  const [form, setForm] = useState<Required<UserChanges>>({
    displayName: user.displayName,
    roles: user.roles,
    teamIds: user.teamIds,
  });
  const [checked, setChecked] = useState<FieldErrors>({});

  const save = useMutation({
    mutationFn: () => users.update(user.id, etag, { ...form, displayName: form.displayName.trim() }),
    onSuccess: (updated) => {
      queryClient.setQueryData([...USERS_KEY, 'detail', user.id], {
        user: updated,
        etag: `"${updated.version}"`,
      });
      void queryClient.invalidateQueries({ queryKey: [...USERS_KEY, 'list'] });
    },
  });
  const stale = save.error instanceof ApiError && save.error.status === 412;
  const problem = problemOf(save.error ?? options.error);
  const errors = { ...mapProblemToFieldErrors(problem, EDIT_FIELDS), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!form.displayName.trim()) found.displayName = 'Enter the person’s full name.';
    if (form.roles.length === 0) found.roles = 'Choose at least one role.';
    setChecked(found);
    if (Object.keys(found).length === 0) save.mutate();
  };
  const set = <K extends keyof UserChanges>(key: K, value: Required<UserChanges>[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Edit user">
      <Stack gap="md">
        <ProblemAlert problem={problem} fieldLabels={USER_FIELD_LABELS} />
        {stale ? (
          <Button variant="default" onClick={onReload} w="fit-content">
            Load the latest version (discards your changes)
          </Button>
        ) : null}
        {save.isSuccess ? (
          <Alert color="green" variant="light" role="status" title="Saved">
            Your changes were saved.
          </Alert>
        ) : null}
        <TextField
          label={USER_FIELD_LABELS.displayName}
          value={form.displayName}
          onChange={(e) => set('displayName', e.currentTarget.value)}
          error={errors.displayName}
          withAsterisk
        />
        <MultiSelectField
          label={USER_FIELD_LABELS.roles}
          data={options.roleOptions}
          value={form.roles}
          onChange={(v) => set('roles', v)}
          error={errors.roles}
          searchable
          withAsterisk
          disabled={options.loading}
        />
        <MultiSelectField
          label={USER_FIELD_LABELS.teamIds}
          data={options.teamOptions}
          value={form.teamIds}
          onChange={(v) => set('teamIds', v)}
          error={errors.teamIds}
          searchable
          disabled={options.loading}
        />
        <Button type="submit" loading={save.isPending} w="fit-content">
          Save changes
        </Button>
      </Stack>
    </form>
  );
}

function AccountStatusCard({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const change = useMutation({
    mutationFn: () => (user.status === 'active' ? users.deactivate(user.id) : users.reactivate(user.id)),
    onSuccess: (updated) => {
      setConfirming(false);
      queryClient.setQueryData([...USERS_KEY, 'detail', user.id], {
        user: updated,
        etag: `"${updated.version}"`,
      });
      void queryClient.invalidateQueries({ queryKey: [...USERS_KEY, 'list'] });
    },
  });
  const active = user.status === 'active';

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="user-status-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h3" id="user-status-title">
          Status
        </Title>
        <UserStatusBadge status={user.status} />
      </Group>
      <Text size="sm" mb="md">
        {active
          ? 'This person can sign in. Deactivating signs them out everywhere and blocks sign-in; their records and audit history stay.'
          : 'This person cannot sign in. Reactivating lets them sign in again with their existing password.'}
      </Text>
      {!confirming ? <ProblemAlert problem={problemOf(change.error)} /> : null}
      {active ? (
        <Button color="red" variant="outline" onClick={() => setConfirming(true)} mt="xs">
          Deactivate user
        </Button>
      ) : (
        <Button onClick={() => change.mutate()} loading={change.isPending} mt="xs">
          Reactivate user
        </Button>
      )}
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={`Deactivate ${user.displayName}?`}
      >
        <Stack gap="md">
          <Text size="sm">They will be signed out of every session and will not be able to sign in.</Text>
          <ProblemAlert problem={problemOf(change.error)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={() => change.mutate()} loading={change.isPending}>
              Deactivate
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
