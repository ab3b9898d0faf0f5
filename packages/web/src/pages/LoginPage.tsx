import { mapProblemToFieldErrors, PasswordField, ProblemAlert, TextField } from '@ehrms/ui';
import { Alert, Anchor, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { auth } from '../api/endpoints.js';
import { problemOf } from '../api/errors.js';
import type { Authenticated, LoginResult, MfaEnrollment } from '../api/types.js';
import { session } from '../auth/session.js';
import { useSession } from '../auth/useSession.js';
import { MfaSecret, RecoveryCodes } from '../components/MfaSetup.js';
import { usePageTitle } from '../pageTitle.js';

type Step =
  | { kind: 'credentials' }
  | { kind: 'mfa'; mfaToken: string }
  | { kind: 'enroll'; mfaToken: string; enrollment: MfaEnrollment }
  | { kind: 'recovery-codes'; auth: Authenticated; codes: string[] };

/**
 * Sign-in: email and password, then — as the account requires — a one-time code, or first-time
 * enrolment of an authenticator (secret, code, then recovery codes shown once).
 */
export function LoginPage() {
  usePageTitle('Sign in');
  const { status, ended } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const [step, setStep] = useState<Step>({ kind: 'credentials' });

  const onResult = async (result: LoginResult) => {
    if (result.status === 'authenticated') {
      session.establish(result);
    } else if (result.status === 'mfa_required') {
      setStep({ kind: 'mfa', mfaToken: result.mfaToken });
    } else {
      const enrollment = await auth.enrollMfa(result.mfaToken);
      setStep({ kind: 'enroll', mfaToken: result.mfaToken, enrollment });
    }
  };
  const startOver = () => setStep({ kind: 'credentials' });

  if (status === 'signed-in' && step.kind !== 'recovery-codes') {
    return <Navigate to={from && from !== '/login' ? from : '/'} replace />;
  }

  return (
    <Center component="main" mih="100vh" p="md" id="main-content">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={460}>
        <Stack gap="md">
          <div>
            <Text fw={700} c="dimmed" size="sm">
              EHRMS · Demo County Human Services
            </Text>
            <Title order={1} size="h2">
              {TITLES[step.kind]}
            </Title>
          </div>
          {ended === 'expired' && step.kind === 'credentials' ? (
            <Alert color="blue" variant="light" role="status" title="Your session has ended">
              Sign in again to continue.
            </Alert>
          ) : null}
          {step.kind === 'credentials' ? <CredentialsStep onResult={onResult} /> : null}
          {step.kind === 'mfa' ? <MfaStep mfaToken={step.mfaToken} onStartOver={startOver} /> : null}
          {step.kind === 'enroll' ? (
            <EnrollStep
              mfaToken={step.mfaToken}
              enrollment={step.enrollment}
              onEnrolled={(result) =>
                setStep({ kind: 'recovery-codes', auth: result, codes: result.recoveryCodes ?? [] })
              }
              onStartOver={startOver}
            />
          ) : null}
          {step.kind === 'recovery-codes' ? (
            <Stack gap="md">
              <RecoveryCodes codes={step.codes} />
              <Button
                onClick={() => {
                  session.establish(step.auth);
                  setStep({ kind: 'credentials' });
                }}
              >
                I have saved my codes — continue
              </Button>
            </Stack>
          ) : null}
        </Stack>
      </Paper>
    </Center>
  );
}

const TITLES: Record<Step['kind'], string> = {
  credentials: 'Sign in',
  mfa: 'Two-step verification',
  enroll: 'Set up two-step verification',
  'recovery-codes': 'Two-step verification is on',
};

function CredentialsStep({ onResult }: { onResult: (result: LoginResult) => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});
  const login = useMutation({
    mutationFn: async () => onResult(await auth.login(email.trim(), password)),
  });
  const problem = problemOf(login.error);
  const fieldErrors = { ...mapProblemToFieldErrors(problem, ['email', 'password']), ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors = {
      ...(email.trim() ? {} : { email: 'Enter your email address.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    };
    setMissing(errors);
    if (Object.keys(errors).length === 0) login.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Sign in">
      <Stack gap="md">
        <ProblemAlert problem={problem} fieldLabels={{ email: 'Email', password: 'Password' }} />
        <TextField
          label="Email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldErrors.email}
          withAsterisk
          autoFocus
        />
        <PasswordField
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldErrors.password}
          withAsterisk
        />
        <Button type="submit" loading={login.isPending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

function MfaStep({ mfaToken, onStartOver }: { mfaToken: string; onStartOver: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const verify = useMutation({
    mutationFn: async () => {
      const proof = useRecovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s+/g, '') };
      session.establish(await auth.verifyMfa(mfaToken, proof));
    },
  });
  const problem = problemOf(verify.error);
  const field = useRecovery ? 'recoveryCode' : 'code';
  const fieldError = missing ?? mapProblemToFieldErrors(problem, [field])[field];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = value.trim() === '';
    setMissing(empty ? (useRecovery ? 'Enter a recovery code.' : 'Enter the 6-digit code.') : undefined);
    if (!empty) verify.mutate();
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Two-step verification">
      <Stack gap="md">
        <Text size="sm">
          {useRecovery
            ? 'Enter one of the recovery codes you saved when you set up two-step verification.'
            : 'Enter the 6-digit code from your authenticator app.'}
        </Text>
        <ProblemAlert problem={problem} fieldLabels={{ code: 'Code', recoveryCode: 'Recovery code' }} />
        <TextField
          key={field}
          label={useRecovery ? 'Recovery code' : 'Authentication code'}
          inputMode={useRecovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={fieldError}
          withAsterisk
          autoFocus
        />
        <Button type="submit" loading={verify.isPending}>
          Verify
        </Button>
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => {
            setUseRecovery((r) => !r);
            setValue('');
            setMissing(undefined);
            verify.reset();
          }}
        >
          {useRecovery ? 'Use a code from my authenticator app' : 'Use a recovery code instead'}
        </Anchor>
        <Anchor component="button" type="button" size="sm" onClick={onStartOver}>
          Start over
        </Anchor>
      </Stack>
    </form>
  );
}

function EnrollStep({
  mfaToken,
  enrollment,
  onEnrolled,
  onStartOver,
}: {
  mfaToken: string;
  enrollment: MfaEnrollment;
  onEnrolled: (result: Authenticated) => void;
  onStartOver: () => void;
}) {
  const [code, setCode] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const confirm = useMutation({
    mutationFn: () => auth.confirmMfaEnrollment(mfaToken, code.replace(/\s+/g, '')),
    onSuccess: onEnrolled,
  });
  const problem = problemOf(confirm.error);
  const fieldError = missing ?? mapProblemToFieldErrors(problem, ['code']).code;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const empty = code.trim() === '';
    setMissing(empty ? 'Enter the 6-digit code your app shows.' : undefined);
    if (!empty) confirm.mutate();
  };

  return (
    <Stack gap="md">
      <Text size="sm">Your role requires a second step at sign-in. Set it up now to continue.</Text>
      <MfaSecret enrollment={enrollment} />
      <form onSubmit={submit} noValidate aria-label="Confirm two-step verification">
        <Stack gap="md">
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
          <Button type="submit" loading={confirm.isPending}>
            Confirm and sign in
          </Button>
          <Anchor component="button" type="button" size="sm" onClick={onStartOver}>
            Start over
          </Anchor>
        </Stack>
      </form>
    </Stack>
  );
}
