import { mapProblemToFieldErrors, ProblemAlert, TextField } from '@ehrms/ui';
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { me } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import { ME_KEY } from '../../auth/useSession.js';
import { MfaSecret, RecoveryCodes } from '../../components/MfaSetup.js';

/** Turn two-step verification on (secret → code → recovery codes once) or off (with a current code). */
export function MfaSection({ enabled }: { enabled: boolean }) {
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes) {
    return (
      <Stack gap="md">
        <Alert color="green" variant="light" role="status" title="Two-step verification is on">
          From now on you will enter a code from your authenticator app when you sign in.
        </Alert>
        <RecoveryCodes codes={codes} headingOrder={3} />
        <Button variant="default" onClick={() => setCodes(null)} w="fit-content">
          I have saved my codes
        </Button>
      </Stack>
    );
  }
  return enabled ? <DisableMfa /> : <EnableMfa onEnabled={setCodes} />;
}

function EnableMfa({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const enroll = useMutation({ mutationFn: me.enrollMfa });
  const confirm = useMutation({
    mutationFn: () => me.confirmMfa(code.replace(/\s+/g, '')),
    onSuccess: ({ recoveryCodes }) => {
      onEnabled(recoveryCodes);
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
  const problem = problemOf(confirm.error);
  const fieldError = mapProblemToFieldErrors(problem, ['code']).code;

  if (!enroll.data) {
    return (
      <Stack gap="sm" align="flex-start">
        <Text size="sm">
          Two-step verification is off. Turn it on to require a code from an authenticator app at sign-in.
        </Text>
        <ProblemAlert problem={problemOf(enroll.error)} />
        <Button onClick={() => enroll.mutate()} loading={enroll.isPending}>
          Set up two-step verification
        </Button>
      </Stack>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    confirm.mutate();
  };
  return (
    <Stack gap="md">
      <MfaSecret enrollment={enroll.data} headingOrder={3} />
      <form onSubmit={submit} noValidate aria-label="Confirm two-step verification">
        <Stack gap="md" maw={420}>
          <ProblemAlert problem={problem} fieldLabels={{ code: 'Code' }} />
          <TextField
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            error={fieldError}
            withAsterisk
          />
          <Button type="submit" loading={confirm.isPending} w="fit-content">
            Turn on two-step verification
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}

function DisableMfa() {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const disable = useMutation({
    mutationFn: () => me.disableMfa(code.replace(/\s+/g, '')),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ME_KEY }),
  });
  const problem = problemOf(disable.error);
  const fieldError = mapProblemToFieldErrors(problem, ['code']).code;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    disable.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Turn off two-step verification">
      <Stack gap="md" maw={420}>
        <Text size="sm">
          Two-step verification is on. To turn it off, enter a current code from your authenticator app. Roles
          that require it (administrators) cannot turn it off.
        </Text>
        <ProblemAlert problem={problem} fieldLabels={{ code: 'Code' }} />
        <TextField
          label="Current code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={fieldError}
        />
        <Button color="red" variant="outline" type="submit" loading={disable.isPending} w="fit-content">
          Turn off two-step verification
        </Button>
      </Stack>
    </form>
  );
}
