import {
  DataTable,
  LoadingState,
  ProblemAlert,
  SectionCard,
  StatusBadge,
  type DataTableColumn,
} from '@ehrms/ui';
import { Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { providers } from '../../api/endpoints.js';
import { problemOf } from '../../api/errors.js';
import type {
  ProviderContract,
  ProviderCredential,
  ProviderLocation,
  ProviderService,
  ProviderStanding,
} from '../../api/types.js';
import { useDirectory } from '../../directory.js';
import { codeLabel, formatCents, formatDate } from '../../format.js';
import { ActiveBadge, credentialStanding, CredentialStandingBadge, PROVIDERS_KEY } from './shared.js';

const CREDENTIAL_TYPES: Record<ProviderCredential['type'], string> = {
  license: 'License',
  certification: 'Certification',
  dea: 'DEA registration',
  board: 'Board certification',
};
const UNITS: Record<ProviderService['unitType'], string> = {
  '15min': '15 minutes',
  hour: 'hour',
  day: 'day',
  session: 'session',
  unit: 'unit',
};

export function CredentialsSection({
  providerId,
  standing,
}: {
  providerId: string;
  standing: ProviderStanding | undefined;
}) {
  const list = useQuery({
    queryKey: [...PROVIDERS_KEY, providerId, 'credentials'],
    queryFn: () => providers.credentials(providerId),
  });
  const columns: DataTableColumn<ProviderCredential>[] = [
    { key: 'type', header: 'Credential', rowHeader: true, cell: (c) => CREDENTIAL_TYPES[c.type] },
    { key: 'number', header: 'Number', cell: (c) => c.number },
    { key: 'issuer', header: 'Issuer', cell: (c) => c.issuer },
    { key: 'expires', header: 'Expires', cell: (c) => formatDate(c.expiresOn) },
    {
      key: 'standing',
      header: 'Standing',
      cell: (c) => <CredentialStandingBadge standing={credentialStanding(c, standing)} />,
    },
    { key: 'verified', header: 'Verification', cell: (c) => codeLabel(c.verificationStatus) },
  ];
  return (
    <SectionCard title="Credentials">
      <Loaded query={list} label="credentials">
        {(data) => (
          <DataTable
            caption="Credentials"
            captionHidden
            columns={columns}
            rows={data.items}
            rowKey={(c) => c.id}
            emptyMessage="No credentials on record."
            itemNoun="credentials"
          />
        )}
      </Loaded>
    </SectionCard>
  );
}

export function LocationsSection({ providerId }: { providerId: string }) {
  const list = useQuery({
    queryKey: [...PROVIDERS_KEY, providerId, 'locations'],
    queryFn: () => providers.locations(providerId),
  });
  const columns: DataTableColumn<ProviderLocation>[] = [
    { key: 'name', header: 'Site', rowHeader: true, cell: (l) => l.name },
    {
      key: 'address',
      header: 'Address',
      cell: (l) =>
        [l.addressLine1, l.addressLine2, `${l.city}, ${l.state} ${l.postalCode}`].filter(Boolean).join(', '),
    },
    { key: 'county', header: 'County', cell: (l) => l.county ?? '—' },
    { key: 'phone', header: 'Phone', cell: (l) => l.phone ?? '—' },
    { key: 'active', header: 'Status', cell: (l) => <ActiveBadge active={l.active} /> },
  ];
  return (
    <SectionCard title="Locations">
      <Loaded query={list} label="locations">
        {(data) => (
          <DataTable
            caption="Locations"
            captionHidden
            columns={columns}
            rows={data.items}
            rowKey={(l) => l.id}
            emptyMessage="No locations on record."
            itemNoun="locations"
          />
        )}
      </Loaded>
    </SectionCard>
  );
}

export function ServicesSection({ providerId }: { providerId: string }) {
  const directory = useDirectory();
  const list = useQuery({
    queryKey: [...PROVIDERS_KEY, providerId, 'services'],
    queryFn: () => providers.services(providerId),
  });
  const columns: DataTableColumn<ProviderService>[] = [
    {
      key: 'code',
      header: 'Code',
      rowHeader: true,
      cell: (s) => [s.serviceCode, ...s.modifiers].join('-'),
    },
    { key: 'description', header: 'Service', cell: (s) => s.description },
    { key: 'unit', header: 'Unit', cell: (s) => UNITS[s.unitType] },
    {
      key: 'program',
      header: 'Program',
      cell: (s) => (s.programId ? directory.programName(s.programId) : 'Any'),
    },
    { key: 'active', header: 'Status', cell: (s) => <ActiveBadge active={s.active} activeLabel="Offered" /> },
  ];
  return (
    <SectionCard title="Services offered">
      <Loaded query={list} label="services">
        {(data) => (
          <DataTable
            caption="Services offered"
            captionHidden
            columns={columns}
            rows={data.items}
            rowKey={(s) => s.id}
            emptyMessage="No services on record."
            itemNoun="services"
          />
        )}
      </Loaded>
    </SectionCard>
  );
}

const CONTRACT_STATUS = {
  draft: <StatusBadge tone="neutral">Draft</StatusBadge>,
  active: <StatusBadge tone="success">Active</StatusBadge>,
  terminated: <StatusBadge tone="danger">Terminated</StatusBadge>,
};

export function ContractsSection({ providerId }: { providerId: string }) {
  const list = useQuery({
    queryKey: [...PROVIDERS_KEY, providerId, 'contracts'],
    queryFn: () => providers.contracts(providerId),
  });
  return (
    <SectionCard title="Contracts">
      <Loaded query={list} label="contracts">
        {(data) =>
          data.items.length === 0 ? (
            <Text size="sm">No contracts on record.</Text>
          ) : (
            <Stack gap="lg">
              {data.items.map((c) => (
                <ContractRates key={c.id} contract={c} />
              ))}
            </Stack>
          )
        }
      </Loaded>
    </SectionCard>
  );
}

function ContractRates({ contract }: { contract: ProviderContract }) {
  const columns: DataTableColumn<ProviderContract['lines'][number]>[] = [
    { key: 'code', header: 'Service code', rowHeader: true, cell: (l) => l.serviceCode },
    { key: 'rate', header: 'Rate', cell: (l) => `${formatCents(l.rateCents)} per ${UNITS[l.unitType]}` },
    {
      key: 'cap',
      header: 'Cap',
      cell: (l) =>
        [l.capUnits ? `${l.capUnits} units` : null, l.capAmountCents ? formatCents(l.capAmountCents) : null]
          .filter(Boolean)
          .join(', ') || 'None',
    },
    {
      key: 'dates',
      header: 'Applies',
      cell: (l) =>
        l.startsOn || l.endsOn
          ? `${l.startsOn ? formatDate(l.startsOn) : 'start'} to ${l.endsOn ? formatDate(l.endsOn) : 'end'}`
          : 'Whole contract',
    },
  ];
  return (
    <div>
      <Group gap="xs" mb={4}>
        <Title order={3} size="h5">
          Contract {contract.number}
        </Title>
        {CONTRACT_STATUS[contract.status]}
      </Group>
      <Text size="sm" mb="xs">
        {formatDate(contract.startsOn)} to {contract.endsOn ? formatDate(contract.endsOn) : 'open-ended'}
      </Text>
      <DataTable
        caption={`Rates of contract ${contract.number}`}
        captionHidden
        columns={columns}
        rows={contract.lines}
        rowKey={(l) => l.id}
        emptyMessage="No rates on this contract."
        itemNoun="rates"
      />
    </div>
  );
}

/** Loading, error or the data of one section's query. */
function Loaded<T>({
  query,
  label,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  label: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState label={`Loading ${label}…`} />;
  if (query.error || query.data === undefined) return <ProblemAlert problem={problemOf(query.error)} />;
  return <>{children(query.data)}</>;
}
