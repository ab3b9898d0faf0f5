import { PageHeader } from '@ehrms/ui';
import { Card, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useMe } from '../../auth/useSession.js';
import { roleLabel } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { ChangePasswordForm } from './ChangePasswordForm.js';
import { MfaSection } from './MfaSection.js';
import { SessionsSection } from './SessionsSection.js';

/** The signed-in person's own account: password, two-step verification, sessions. */
export function AccountPage() {
  usePageTitle('My account');
  const { data: me } = useMe();
  if (!me) return null;
  return (
    <>
      <PageHeader
        title="My account"
        description={`${me.displayName} · ${me.email} · ${me.roles.map(roleLabel).join(', ')}`}
      />
      <Stack gap="lg" maw={900}>
        <Section id="password" title="Change password">
          <ChangePasswordForm />
        </Section>
        <Section id="mfa" title="Two-step verification">
          <MfaSection enabled={me.mfaEnabled} />
        </Section>
        <Section id="sessions" title="Where you are signed in">
          <SessionsSection />
        </Section>
      </Stack>
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={`${id}-title`}>
      <Title order={2} size="h3" id={`${id}-title`} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}
