import { mapProblemToFieldErrors, SelectField, TextField, type FieldErrors, type Problem } from '@ehrms/ui';
import { Button, Group } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ClientSearch } from '../../api/types.js';

export type IdentifierKind = 'ssn' | 'medicaidId' | 'phone';

/** What the user typed, kept so the form shows it again after navigating back. */
export interface SearchInput {
  name: string;
  birthDate: string;
  identifierKind: IdentifierKind;
  identifier: string;
}

export const EMPTY_SEARCH: SearchInput = { name: '', birthDate: '', identifierKind: 'ssn', identifier: '' };

const IDENTIFIER_LABELS: Record<IdentifierKind, string> = {
  ssn: 'SSN',
  medicaidId: 'Medicaid ID',
  phone: 'Phone',
};

/** The search form: a name (typos forgiven), a birth date and one identifier; any one will do. */
export function ClientSearchForm({
  initial,
  problem,
  searching,
  onSearch,
}: {
  initial: SearchInput;
  problem: Problem | null;
  searching: boolean;
  onSearch: (input: SearchInput) => void;
}) {
  const [input, setInput] = useState(initial);
  const [checked, setChecked] = useState<FieldErrors>({});
  const server = mapProblemToFieldErrors(problem, ['q', 'birthDate', 'ssn', 'medicaidId', 'phone']);
  const errors: FieldErrors = {
    name: server.q,
    birthDate: server.birthDate,
    identifier: server.ssn ?? server.medicaidId ?? server.phone,
    ...checked,
  };

  const set = <K extends keyof SearchInput>(key: K, value: SearchInput[K]) => {
    setInput((i) => ({ ...i, [key]: value }));
    setChecked({});
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(input);
    setChecked(found);
    if (Object.keys(found).length === 0) onSearch(input);
  };

  return (
    <form role="search" aria-label="Find a client" noValidate onSubmit={submit}>
      <Group align="flex-end" gap="md" mb="md">
        <TextField
          label="Name"
          description="Any part of the name; a typo is fine"
          type="search"
          autoComplete="off"
          value={input.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errors.name}
          w={{ base: '100%', sm: 280 }}
        />
        <TextField
          label="Date of birth"
          description="Optional"
          type="date"
          value={input.birthDate}
          onChange={(e) => set('birthDate', e.currentTarget.value)}
          error={errors.birthDate}
          w={{ base: '100%', sm: 180 }}
        />
        <SelectField
          label="Identifier"
          description="Optional"
          value={input.identifierKind}
          onChange={(v) => set('identifierKind', (v ?? 'ssn') as IdentifierKind)}
          data={Object.entries(IDENTIFIER_LABELS).map(([value, label]) => ({ value, label }))}
          w={{ base: '100%', sm: 150 }}
        />
        <TextField
          label={`${IDENTIFIER_LABELS[input.identifierKind]} number`}
          description="Exact match"
          autoComplete="off"
          value={input.identifier}
          onChange={(e) => set('identifier', e.currentTarget.value)}
          error={errors.identifier}
          w={{ base: '100%', sm: 200 }}
        />
        <Button type="submit" loading={searching}>
          Search
        </Button>
      </Group>
    </form>
  );
}

/** The API query for what was typed (empty fields left out). */
export function toClientSearch(input: SearchInput): ClientSearch {
  const query: ClientSearch = { limit: 25 };
  if (input.name.trim()) query.q = input.name.trim();
  if (input.birthDate) query.birthDate = input.birthDate;
  if (input.identifier.trim()) query[input.identifierKind] = input.identifier.trim();
  return query;
}

function validate(input: SearchInput): FieldErrors {
  const name = input.name.trim();
  if (!name && !input.birthDate && !input.identifier.trim()) {
    return { name: 'Enter a name, a date of birth or an identifier.' };
  }
  if (name && name.replace(/[^\p{L}]/gu, '').length < 2)
    return { name: 'Type at least two letters of the name.' };
  return {};
}
