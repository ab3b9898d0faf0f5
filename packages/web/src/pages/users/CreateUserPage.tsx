import {
  mapProblemToFieldErrors,
  MultiSelectField,
  PageHeader,
  PasswordField,
  ProblemAlert,
  TextField,
  type FieldErrors,
} from '@ehrms/ui';
import { Button, Group, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { users } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { NewUser } from '../../api/types.js';
import { usePageTitle } from '../../pageTitle.js';
import { USER_FIELD_LABELS, USERS_KEY, useRoleAndTeamOptions } from './shared.js';

const FIELDS = Object.keys(USER_FIELD_LABELS);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD_LENGTH = 12;

export function CreateUserPage() {
  usePageTitle('Create user');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useRoleAndTeamOptions();
  const [form, setForm] = useState<NewUser>({
    email: '',
    displayName: '',
    password: '',
    roles: [],
    teamIds: [],
  });
  const [checked, setChecked] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: () =>
      users.create({ ...form, email: form.email.trim(), displayName: form.displayName.trim() }),
    onSuccess: (user) => {
      void queryClient.invalidateQueries({ queryKey: USERS_KEY });
      void navigate(`/admin/users/${user.id}`, { state: { notice: `${user.displayName} was created.` } });
    },
  });
  const problem = problemOf(create.error ?? options.error);
  const errors = { ...mapProblemToFieldErrors(problem, FIELDS), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateNewUser(form);
    setChecked(found);
    if (Object.keys(found).length === 0) create.mutate();
  };
  const set = <K extends keyof NewUser>(key: K, value: NewUser[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
  };

  return (
    <>
      <PageHeader
        title="Create user"
        description="The person signs in with this email and temporary password."
      />
      <form onSubmit={submit} noValidate aria-label="Create user">
        <Stack gap="md" maw={560}>
          <ProblemAlert problem={problem} fieldLabels={USER_FIELD_LABELS} />
          <TextField
            label={USER_FIELD_LABELS.displayName}
            autoComplete="off"
            value={form.displayName}
            onChange={(e) => set('displayName', e.currentTarget.value)}
            error={errors.displayName}
            withAsterisk
          />
          <TextField
            label={USER_FIELD_LABELS.email}
            type="email"
            autoComplete="off"
            value={form.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={errors.email}
            withAsterisk
          />
          <PasswordField
            label={USER_FIELD_LABELS.password}
            description={`At least ${MIN_PASSWORD_LENGTH} characters. Share it with the person securely.`}
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => set('password', e.currentTarget.value)}
            error={errors.password}
            withAsterisk
          />
          <MultiSelectField
            label={USER_FIELD_LABELS.roles}
            data={options.roleOptions}
            value={form.roles}
            onChange={(v) => set('roles', v)}
            error={errors.roles}
            placeholder={form.roles.length === 0 ? 'Choose roles' : undefined}
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
            placeholder={form.teamIds.length === 0 ? 'Choose teams' : undefined}
            searchable
            disabled={options.loading}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Create user
            </Button>
            <Button variant="default" component={Link} to="/admin/users">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}

function validateNewUser(form: NewUser): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.displayName.trim()) errors.displayName = 'Enter the person’s full name.';
  if (!form.email.trim()) errors.email = 'Enter an email address.';
  else if (!EMAIL.test(form.email.trim())) errors.email = 'Enter an email address like name@example.org.';
  if (form.password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (form.roles.length === 0) errors.roles = 'Choose at least one role.';
  return errors;
}
