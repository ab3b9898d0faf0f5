import {
  mapProblemToFieldErrors,
  MultiSelectField,
  PageHeader,
  ProblemAlert,
  SelectField,
  TextField,
  type FieldErrors,
} from '@ehrms/ui';
import { Button, Checkbox, Fieldset, Group, SimpleGrid, Stack } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { clients } from '../../api/endpoints.js';
import { ApiError, problemOf } from '../../api/errors.js';
import type { NewClient } from '../../api/types.js';
import { useMe } from '../../auth/useSession.js';
import { useDirectory } from '../../directory.js';
import { codeLabel, todayIso } from '../../format.js';
import { usePageTitle } from '../../pageTitle.js';
import { duplicateCandidatesOf, PossibleDuplicates } from './PossibleDuplicates.js';
import { CLIENTS_KEY, clientName, SEX_AT_BIRTH_LABELS } from './shared.js';

type Form = Required<
  Pick<
    NewClient,
    | 'givenName'
    | 'middleName'
    | 'familyName'
    | 'preferredName'
    | 'birthDate'
    | 'sexAtBirth'
    | 'genderIdentity'
    | 'pronouns'
    | 'race'
    | 'ethnicity'
    | 'primaryLanguage'
    | 'interpreterNeeded'
    | 'ssn'
    | 'medicaidId'
    | 'teamId'
  >
>;

const LABELS = {
  givenName: 'First name',
  middleName: 'Middle name',
  familyName: 'Last name',
  preferredName: 'Preferred name',
  birthDate: 'Date of birth',
  sexAtBirth: 'Sex assigned at birth',
  genderIdentity: 'Gender identity',
  pronouns: 'Pronouns',
  race: 'Race',
  ethnicity: 'Ethnicity',
  primaryLanguage: 'Primary language',
  interpreterNeeded: 'Needs an interpreter',
  ssn: 'SSN',
  medicaidId: 'Medicaid ID',
  teamId: 'Registering team',
} as const;
const FIELDS = Object.keys(LABELS);

// Typed against the API's enums: a renamed code fails the type check.
const RACES: Form['race'][number][] = [
  'american_indian_or_alaska_native',
  'asian',
  'black_or_african_american',
  'native_hawaiian_or_pacific_islander',
  'white',
  'other',
  'unknown',
  'declined',
];
const ETHNICITIES: NonNullable<Form['ethnicity']>[] = [
  'hispanic_or_latino',
  'not_hispanic_or_latino',
  'unknown',
  'declined',
];

const EMPTY: Form = {
  givenName: '',
  middleName: null,
  familyName: '',
  preferredName: null,
  birthDate: '',
  sexAtBirth: 'unknown',
  genderIdentity: null,
  pronouns: null,
  race: [],
  ethnicity: null,
  primaryLanguage: null,
  interpreterNeeded: false,
  ssn: null,
  medicaidId: null,
  teamId: null,
};

/**
 * Registering a client. The API answers 409 while the agency may already have a record of the
 * person; the candidates are shown, and the user registers anyway only after saying they checked.
 */
export function RegisterClientPage() {
  usePageTitle('Register client');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(EMPTY);
  const [checked, setChecked] = useState<FieldErrors>({});

  const register = useMutation({
    mutationFn: (acknowledgeDuplicates: boolean) =>
      clients.register({ ...trimmed(form), acknowledgeDuplicates }),
    onSuccess: (client) => {
      void queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
      void navigate(`/clients/${client.id}`, { state: { notice: `${clientName(client)} was registered.` } });
    },
  });
  const candidates = duplicateCandidatesOf(register.error);
  const problem = candidates ? null : problemOf(register.error);
  const errors = { ...mapProblemToFieldErrors(problem, FIELDS), ...checked };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validate(form);
    setChecked(found);
    if (Object.keys(found).length === 0) register.mutate(false);
  };
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setChecked((c) => ({ ...c, [key]: undefined }));
    // A changed person is a new question: forget the last answer's duplicates.
    if (register.error instanceof ApiError) register.reset();
  };
  const text = (key: keyof typeof LABELS & keyof Form, required = false) => ({
    label: LABELS[key],
    value: (form[key] as string | null) ?? '',
    onChange: (e: { currentTarget: { value: string } }) =>
      set(key, (required ? e.currentTarget.value : e.currentTarget.value || null) as Form[typeof key]),
    error: errors[key],
    withAsterisk: required,
    autoComplete: 'off',
  });

  return (
    <>
      <PageHeader title="Register client" description="Search first: the person may already have a record." />
      <form onSubmit={submit} noValidate aria-label="Register client">
        <Stack gap="lg" maw={760}>
          <ProblemAlert problem={problem} fieldLabels={LABELS} />
          {candidates ? (
            <PossibleDuplicates
              candidates={candidates}
              registering={register.isPending}
              onRegisterAnyway={() => register.mutate(true)}
            />
          ) : null}
          <Fieldset legend="Name and birth">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextField {...text('givenName', true)} />
              <TextField {...text('middleName')} />
              <TextField {...text('familyName', true)} />
              <TextField {...text('preferredName')} description="What the client likes to be called" />
              <TextField {...text('birthDate', true)} type="date" max={todayIso()} />
              <SelectField
                label={LABELS.sexAtBirth}
                value={form.sexAtBirth}
                onChange={(v) => set('sexAtBirth', (v ?? 'unknown') as Form['sexAtBirth'])}
                data={Object.entries(SEX_AT_BIRTH_LABELS).map(([value, label]) => ({ value, label }))}
                error={errors.sexAtBirth}
                withAsterisk
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Identity and language">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextField {...text('genderIdentity')} />
              <TextField {...text('pronouns')} description="For example she/her, they/them" />
              <MultiSelectField
                label={LABELS.race}
                data={RACES.map((value) => ({ value, label: codeLabel(value) }))}
                value={form.race}
                onChange={(v) => set('race', v as Form['race'])}
                error={errors.race}
                placeholder={form.race.length === 0 ? 'Choose any that apply' : undefined}
              />
              <SelectField
                label={LABELS.ethnicity}
                value={form.ethnicity ?? ''}
                onChange={(v) => set('ethnicity', (v || null) as Form['ethnicity'])}
                data={[
                  { value: '', label: 'Not recorded' },
                  ...ETHNICITIES.map((value) => ({ value, label: codeLabel(value) })),
                ]}
                error={errors.ethnicity}
              />
              <TextField {...text('primaryLanguage')} />
              <Checkbox
                label={LABELS.interpreterNeeded}
                checked={form.interpreterNeeded}
                onChange={(e) => set('interpreterNeeded', e.currentTarget.checked)}
                mt={{ base: 0, sm: 32 }}
              />
            </SimpleGrid>
          </Fieldset>
          <Fieldset legend="Identifiers and team">
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextField {...text('ssn')} description="9 digits, e.g. 123-45-6789" />
              <TextField {...text('medicaidId')} description="10 digits" />
              <TeamField value={form.teamId} onChange={(v) => set('teamId', v)} error={errors.teamId} />
            </SimpleGrid>
          </Fieldset>
          <Group>
            <Button type="submit" loading={register.isPending && !candidates}>
              Register client
            </Button>
            <Button variant="default" component={Link} to="/clients">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}

/** Only a user on several teams chooses; otherwise the API registers with their team. */
function TeamField({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  error: string | undefined;
}) {
  const { data: me } = useMe();
  const directory = useDirectory();
  const mine = me?.teamIds ?? [];
  if (mine.length < 2) return null;
  return (
    <SelectField
      label={LABELS.teamId}
      description="The team that will serve the client"
      value={value ?? ''}
      onChange={(v) => onChange(v || null)}
      data={[
        { value: '', label: `${directory.teamName(mine[0])} (your first team)` },
        ...mine.slice(1).map((id) => ({ value: id, label: directory.teamName(id) })),
      ]}
      error={error}
    />
  );
}

function trimmed(form: Form): Form {
  const clean = (v: string | null) => (v === null ? null : v.trim() || null);
  return {
    ...form,
    givenName: form.givenName.trim(),
    familyName: form.familyName.trim(),
    middleName: clean(form.middleName),
    preferredName: clean(form.preferredName),
    genderIdentity: clean(form.genderIdentity),
    pronouns: clean(form.pronouns),
    primaryLanguage: clean(form.primaryLanguage),
    ssn: clean(form.ssn),
    medicaidId: clean(form.medicaidId),
  };
}

function validate(form: Form): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.givenName.trim()) errors.givenName = 'Enter the first name.';
  if (!form.familyName.trim()) errors.familyName = 'Enter the last name.';
  if (!form.birthDate) errors.birthDate = 'Enter the date of birth.';
  else if (form.birthDate > todayIso()) errors.birthDate = 'A date of birth cannot be in the future.';
  return errors;
}
