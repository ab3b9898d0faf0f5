import { mapProblemToFieldErrors, PasswordField, ProblemAlert, type FieldErrors } from '@ehrms/ui';
import { Alert, Button, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { me } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';

const LABELS = {
  currentPassword: 'Current password',
  newPassword: 'New password',
  confirm: 'Repeat new password',
};
const MIN_LENGTH = 12;

export function ChangePasswordForm() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ currentPassword: '', newPassword: '', confirm: '' });
  const [checked, setChecked] = useState<FieldErrors>({});
  const change = useMutation({
    mutationFn: () => me.changePassword(form.currentPassword, form.newPassword),
    onSuccess: () => {
      setForm({ currentPassword: '', newPassword: '', confirm: '' });
      void queryClient.invalidateQueries({ queryKey: ['my-sessions'] });
    },
  });
  const problem = problemOf(change.error);
  const errors = { ...mapProblemToFieldErrors(problem, ['currentPassword', 'newPassword']), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldErrors = {};
    if (!form.currentPassword) found.currentPassword = 'Enter your current password.';
    if (form.newPassword.length < MIN_LENGTH) found.newPassword = `Use at least ${MIN_LENGTH} characters.`;
    if (form.confirm !== form.newPassword) found.confirm = 'The two new passwords do not match.';
    setChecked(found);
    if (Object.keys(found).length === 0) change.mutate();
  };
  const set = (key: keyof typeof form, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Change password">
      <Stack gap="md" maw={420}>
        <ProblemAlert problem={problem} fieldLabels={LABELS} />
        {change.isSuccess ? (
          <Alert color="green" variant="light" role="status" title="Password changed">
            Your other sessions were signed out.
          </Alert>
        ) : null}
        <PasswordField
          label={LABELS.currentPassword}
          autoComplete="current-password"
          value={form.currentPassword}
          onChange={(e) => set('currentPassword', e.currentTarget.value)}
          error={errors.currentPassword}
          withAsterisk
        />
        <PasswordField
          label={LABELS.newPassword}
          description={`At least ${MIN_LENGTH} characters.`}
          autoComplete="new-password"
          value={form.newPassword}
          onChange={(e) => set('newPassword', e.currentTarget.value)}
          error={errors.newPassword}
          withAsterisk
        />
        <PasswordField
          label={LABELS.confirm}
          autoComplete="new-password"
          value={form.confirm}
          onChange={(e) => set('confirm', e.currentTarget.value)}
          error={errors.confirm}
          withAsterisk
        />
        <Button type="submit" loading={change.isPending} w="fit-content">
          Change password
        </Button>
      </Stack>
    </form>
  );
}
