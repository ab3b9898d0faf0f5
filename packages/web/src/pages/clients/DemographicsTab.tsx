import { DescriptionList, SectionCard } from '@ehrms/ui';
import { List, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ClientChart } from '../../api/types.js';
import { ageOn, codeLabel, formatDate } from '../../format.js';
import { clientName, SEX_AT_BIRTH_LABELS } from './shared.js';

/** Who the client is and how to reach them, as the chart answers it. */
export function DemographicsTab({ chart }: { chart: ClientChart }) {
  const { client } = chart;
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <SectionCard title="Demographics">
        <DescriptionList
          items={[
            { term: 'Legal name', value: clientName(client) },
            { term: 'Preferred name', value: client.preferredName },
            { term: 'Other names', value: chart.aliases.map((a) => a.name).join(', ') },
            {
              term: 'Date of birth',
              value: `${formatDate(client.birthDate)} (age ${ageOn(client.birthDate)})`,
            },
            { term: 'Sex assigned at birth', value: SEX_AT_BIRTH_LABELS[client.sexAtBirth] },
            { term: 'Gender identity', value: client.genderIdentity },
            { term: 'Pronouns', value: client.pronouns },
            { term: 'Race', value: client.race.map(codeLabel).join(', ') },
            { term: 'Ethnicity', value: client.ethnicity ? codeLabel(client.ethnicity) : null },
            { term: 'Primary language', value: client.primaryLanguage },
            { term: 'Interpreter', value: client.interpreterNeeded ? 'Needed' : 'Not needed' },
            { term: 'SSN', value: client.ssnLast4 ? `•••-••-${client.ssnLast4}` : 'Not on record' },
            { term: 'Medicaid ID', value: client.hasMedicaidId ? 'On record' : 'Not on record' },
            { term: 'Deceased', value: client.deceasedOn ? formatDate(client.deceasedOn) : null },
          ]}
        />
      </SectionCard>
      <Stack gap="lg">
        <SectionCard title="Contact">
          <DescriptionList
            items={[
              {
                term: 'Addresses',
                value: lines(
                  chart.addresses.map(
                    (a) =>
                      `${codeLabel(a.type)}: ${[a.line1, a.line2, `${a.city}, ${a.state} ${a.postalCode}`]
                        .filter(Boolean)
                        .join(', ')}`,
                  ),
                ),
              },
              {
                term: 'Phones',
                value: lines(
                  chart.phones.map(
                    (p) =>
                      `${codeLabel(p.type)}: ${p.number}${p.primary ? ' (primary)' : ''}${p.smsOk ? ', texts OK' : ''}`,
                  ),
                ),
              },
              {
                term: 'Emails',
                value: lines(chart.emails.map((e) => `${e.address}${e.primary ? ' (primary)' : ''}`)),
              },
            ]}
          />
        </SectionCard>
        <SectionCard title="Contacts and guardians">
          {chart.contacts.length === 0 ? (
            <Text size="sm">No contacts on record.</Text>
          ) : (
            <List size="sm" spacing="xs">
              {chart.contacts.map((c) => (
                <List.Item key={c.id}>
                  <Text span fw={600} size="sm">
                    {c.name}
                  </Text>{' '}
                  — {codeLabel(c.relationship)}
                  {c.isGuardian ? `, guardian (${codeLabel(c.legalAuthority)})` : ''}
                  {c.canReceiveInfo ? ', may receive information' : ''}
                  {c.phone ? `, ${c.phone}` : ''}
                </List.Item>
              ))}
            </List>
          )}
        </SectionCard>
        <SectionCard title="Coverage">
          {chart.coverages.length === 0 ? (
            <Text size="sm">No coverage on record.</Text>
          ) : (
            <List size="sm" spacing="xs">
              {chart.coverages.map((c) => (
                <List.Item key={c.id}>
                  <Text span fw={600} size="sm">
                    {c.payerName ?? codeLabel(c.payer)}
                  </Text>{' '}
                  — {codeLabel(c.priority)}, member ending {c.memberIdLast4}, from {formatDate(c.startDate)}
                  {c.endDate ? ` to ${formatDate(c.endDate)}` : ''}
                  {c.current ? '' : ' (starts later)'}
                </List.Item>
              ))}
            </List>
          )}
        </SectionCard>
      </Stack>
    </SimpleGrid>
  );
}

function lines(values: string[]): ReactNode {
  if (values.length === 0) return null;
  return values.map((v) => <div key={v}>{v}</div>);
}
