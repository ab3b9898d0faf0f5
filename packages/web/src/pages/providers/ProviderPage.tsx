import { DescriptionList, LoadingState, PageHeader, ProblemAlert, SectionCard, StatusBadge } from '@ehrms/ui';
import { Anchor, Button, List, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { providers } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type { Provider, ProviderStanding } from '../../api/types.js';
import { formatDate } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import {
  ContractsSection,
  CredentialsSection,
  LocationsSection,
  ServicesSection,
} from './ProviderSections.js';
import { ActiveBadge, PROVIDERS_KEY } from './shared.js';

/** One provider: whether they may be booked today, credentials with their expiry standing, sites, services, contracts. */
export function ProviderPage() {
  const { id = '' } = useParams();
  const provider = useQuery({ queryKey: [...PROVIDERS_KEY, id], queryFn: () => providers.get(id) });
  const standing = useQuery({
    queryKey: [...PROVIDERS_KEY, id, 'standing'],
    queryFn: () => providers.standing(id),
  });
  usePageTitle(provider.data?.name ?? 'Provider');

  if (provider.isPending) return <LoadingState label="Loading the provider…" />;
  if (provider.isError) {
    return (
      <>
        <PageHeader title="Provider" />
        <ProblemAlert problem={problemOf(provider.error)} />
        <Anchor component={Link} to="/providers" mt="md" display="inline-block">
          Back to providers
        </Anchor>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={provider.data.name}
        description={`NPI ${provider.data.npi}`}
        actions={
          <Button variant="default" component={Link} to="/providers">
            Back to providers
          </Button>
        }
      />
      <Stack gap="lg">
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
          <ProviderFacts provider={provider.data} />
          <StandingSection standing={standing.data} error={standing.error} />
        </SimpleGrid>
        <CredentialsSection providerId={id} standing={standing.data} />
        <LocationsSection providerId={id} />
        <ServicesSection providerId={id} />
        <ContractsSection providerId={id} />
      </Stack>
    </>
  );
}

function ProviderFacts({ provider }: { provider: Provider }) {
  return (
    <SectionCard title="Provider">
      <DescriptionList
        items={[
          { term: 'Kind', value: provider.kind === 'individual' ? 'Individual' : 'Organisation' },
          { term: 'NPI', value: provider.npi },
          { term: 'Taxonomy', value: provider.taxonomyCode },
          { term: 'Status', value: <ActiveBadge active={provider.status === 'active'} /> },
        ]}
      />
    </SectionCard>
  );
}

function StandingSection({ standing, error }: { standing: ProviderStanding | undefined; error: unknown }) {
  return (
    <SectionCard title="Standing today">
      {error ? <ProblemAlert problem={problemOf(error)} /> : null}
      {!standing && !error ? <LoadingState label="Checking credentials…" /> : null}
      {standing ? (
        <Stack gap="xs">
          {standing.bookable ? (
            <StatusBadge tone="success">Bookable</StatusBadge>
          ) : (
            <StatusBadge tone="danger">Not bookable</StatusBadge>
          )}
          {standing.reasons.length > 0 ? (
            <List size="sm">
              {standing.reasons.map((r) => (
                <List.Item key={`${r.code}:${r.credentialId ?? ''}`}>{r.detail}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">No expired license or DEA registration on {formatDate(standing.on)}.</Text>
          )}
          <Text size="sm">
            {standing.expired.length} expired · {standing.expiringWithin[30].length} expiring within 30 days ·{' '}
            {standing.expiringWithin[60].length} within 60 · {standing.expiringWithin[90].length} within 90
          </Text>
        </Stack>
      ) : null}
    </SectionCard>
  );
}
