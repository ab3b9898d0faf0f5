import { SelectField, TextField } from '@ehrms/ui';
import { Checkbox, Group, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import {
  buildRecurrence,
  defaultRepeat,
  describeRecurrence,
  WEEKDAY_CODES,
  weekdayName,
  weekdayOf,
  type RepeatForm,
  type WeekdayCode,
} from './recurrence.js';

export type RepeatErrors = Partial<Record<keyof RepeatForm, string>>;

const ORDINAL_WORDS = ['first', 'second', 'third', 'fourth'];

/**
 * "Repeats" for a booking: does not repeat, weekly on chosen days (every N weeks) or monthly (on
 * the day of the month or the weekday of the month of the first appointment), ending after a
 * number of appointments or on a date. `value` null: a single appointment.
 */
export function RepeatFields({
  value,
  onChange,
  firstDate,
  errors,
}: {
  value: RepeatForm | null;
  onChange: (value: RepeatForm | null) => void;
  firstDate: string;
  errors: RepeatErrors;
}) {
  const set = <K extends keyof RepeatForm>(key: K, next: RepeatForm[K]) =>
    value && onChange({ ...value, [key]: next });
  const built = value ? buildRecurrence(value, firstDate) : null;
  const day = Number(firstDate.slice(8, 10));
  const weekday = weekdayName(weekdayOf(firstDate));
  const nth = Math.ceil(day / 7);
  const monthlyWeekday = nth === 5 ? `The last ${weekday}` : `The ${ORDINAL_WORDS[nth - 1]} ${weekday}`;

  return (
    <Stack gap="sm">
      <SelectField
        label="Repeats"
        value={value ? value.frequency : 'none'}
        onChange={(v) => {
          if (v === 'weekly' || v === 'monthly')
            onChange({ ...(value ?? defaultRepeat(firstDate)), frequency: v });
          else onChange(null);
        }}
        data={[
          { value: 'none', label: 'Does not repeat' },
          { value: 'weekly', label: 'Weekly' },
          { value: 'monthly', label: 'Monthly' },
        ]}
        w={260}
      />
      {value ? (
        <>
          <TextField
            label={value.frequency === 'weekly' ? 'Every how many weeks' : 'Every how many months'}
            description={
              value.frequency === 'weekly' ? '1 = every week, 2 = every other week' : '1 = every month'
            }
            type="number"
            min={1}
            max={99}
            value={value.interval}
            onChange={(e) => set('interval', e.currentTarget.value)}
            error={errors.interval}
            w={260}
            withAsterisk
          />
          {value.frequency === 'weekly' ? (
            <Checkbox.Group
              label="On these days"
              value={value.days}
              onChange={(days) => set('days', WEEKDAY_CODES.filter((d) => days.includes(d)) as WeekdayCode[])}
              error={errors.days}
              withAsterisk
            >
              <Group gap="md" mt={4}>
                {WEEKDAY_CODES.map((code) => (
                  <Checkbox key={code} value={code} label={weekdayName(code)} />
                ))}
              </Group>
            </Checkbox.Group>
          ) : (
            <Radio.Group
              label="On"
              value={value.monthlyBy}
              onChange={(v) => set('monthlyBy', v === 'weekday' ? 'weekday' : 'day')}
            >
              <Stack gap={6} mt={4}>
                <Radio
                  value="day"
                  label={`Day ${day} of the month${day > 28 ? ' (months without it are skipped)' : ''}`}
                />
                <Radio value="weekday" label={`${monthlyWeekday} of the month`} />
              </Stack>
            </Radio.Group>
          )}
          <Radio.Group
            label="Ends"
            value={value.ends}
            onChange={(v) => set('ends', v === 'until' ? 'until' : 'count')}
          >
            <Group gap="md" mt={4}>
              <Radio value="count" label="After a number of appointments" />
              <Radio value="until" label="On a date" />
            </Group>
          </Radio.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {value.ends === 'count' ? (
              <TextField
                label="Number of appointments"
                description="Including the first; at most 200"
                type="number"
                min={2}
                max={200}
                value={value.count}
                onChange={(e) => set('count', e.currentTarget.value)}
                error={errors.count}
                withAsterisk
              />
            ) : (
              <TextField
                label="Last day"
                description="Within a year of the first appointment"
                type="date"
                min={firstDate}
                value={value.until}
                onChange={(e) => set('until', e.currentTarget.value)}
                error={errors.until}
                withAsterisk
              />
            )}
          </SimpleGrid>
          <Text size="sm" aria-live="polite">
            {built?.ok ? `${describeRecurrence(built.rrule)}.` : null}
          </Text>
        </>
      ) : null}
    </Stack>
  );
}
