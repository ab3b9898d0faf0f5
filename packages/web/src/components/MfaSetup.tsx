import { Anchor, Button, Code, CopyButton, List, Stack, Text, Title } from '@mantine/core';
import type { MfaEnrollment } from '../api/types.js';

/** The enrolment secret to type or scan into an authenticator app. */
export function MfaSecret({
  enrollment,
  headingOrder = 2,
}: {
  enrollment: MfaEnrollment;
  headingOrder?: 2 | 3;
}) {
  return (
    <Stack gap="xs">
      <Title order={headingOrder} size="h4">
        Add EHRMS to your authenticator app
      </Title>
      <Text size="sm">
        In your authenticator app (for example Microsoft Authenticator, Google Authenticator or 1Password),
        add an account and enter this setup key:
      </Text>
      <Code block aria-label="Setup key" style={{ fontSize: '1.05rem', letterSpacing: '0.08em' }}>
        {groupInFours(enrollment.secret)}
      </Code>
      <CopyButton value={enrollment.secret}>
        {({ copied, copy }) => (
          <Button variant="default" size="xs" onClick={copy} w="fit-content">
            {copied ? 'Setup key copied' : 'Copy setup key'}
          </Button>
        )}
      </CopyButton>
      <Text size="sm">
        On a phone, you can instead{' '}
        <Anchor href={enrollment.otpauthUrl}>open the setup link in your authenticator app</Anchor>. The link
        is:
      </Text>
      <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
        {enrollment.otpauthUrl}
      </Code>
    </Stack>
  );
}

/** Recovery codes, shown once right after enrolment. */
export function RecoveryCodes({
  codes,
  headingOrder = 2,
}: {
  codes: readonly string[];
  headingOrder?: 2 | 3;
}) {
  return (
    <Stack gap="xs">
      <Title order={headingOrder} size="h4">
        Save your recovery codes
      </Title>
      <Text size="sm">
        If you lose your authenticator, each of these codes signs you in once. Store them somewhere safe now:
        they will not be shown again.
      </Text>
      <List type="ordered" aria-label="Recovery codes" spacing={2}>
        {codes.map((code) => (
          <List.Item key={code}>
            <Code>{code}</Code>
          </List.Item>
        ))}
      </List>
      <CopyButton value={codes.join('\n')}>
        {({ copied, copy }) => (
          <Button variant="default" size="xs" onClick={copy} w="fit-content">
            {copied ? 'Recovery codes copied' : 'Copy recovery codes'}
          </Button>
        )}
      </CopyButton>
    </Stack>
  );
}

function groupInFours(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
