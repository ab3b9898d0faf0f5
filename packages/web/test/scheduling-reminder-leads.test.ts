import { describe, expect, it } from 'vitest';
import { reminderLeadSchema } from '../../api/src/modules/scheduling/appointments/reminder-schedule.js';
import {
  describeLead,
  draftOf,
  leadsFrom,
  newDraft,
  type LeadDraft,
} from '../src/pages/scheduling/reminderLeads.js';

const hours = (h: string): LeadDraft => ({ ...newDraft(), kind: 'hours', hours: h });
const businessDay = (days: string, at: string): LeadDraft => ({
  ...newDraft(),
  kind: 'business-day',
  days,
  at,
});

describe('reminder lead times as the policy form edits them', () => {
  it('turns the form into the leads the API stores, and the stored leads back into the form', () => {
    const result = leadsFrom([hours('48'), businessDay('1', '16:30'), hours('1.5')]);
    expect(result).toEqual({
      ok: true,
      leads: [{ hoursBefore: 48 }, { businessDaysBefore: 1, atLocalTime: '16:30' }, { hoursBefore: 1.5 }],
    });
    if (!result.ok) return;
    // Each is one the API's schema accepts.
    for (const lead of result.leads) expect(reminderLeadSchema.safeParse(lead).success).toBe(true);
    expect(result.leads.map(draftOf)).toEqual([
      { kind: 'hours', hours: '48', days: '1', at: '10:00' },
      { kind: 'business-day', hours: '24', days: '1', at: '16:30' },
      { kind: 'hours', hours: '1.5', days: '1', at: '10:00' },
    ]);
    expect(leadsFrom([])).toEqual({ ok: true, leads: [] });
  });

  it('says what to correct on each reminder, by position', () => {
    const result = leadsFrom([
      hours('0'),
      hours('745'),
      businessDay('11', '25:00'),
      businessDay('2', '09:00'),
      businessDay('2', '09:00'),
      hours('soon'),
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => Object.keys(e).sort())).toEqual([
      ['hours'],
      ['hours'],
      ['at', 'days'],
      [],
      ['days'],
      ['hours'],
    ]);
    expect(result.errors[4]?.days).toBe('This reminder is already in the list.');
    // What the form refuses, the API refuses too.
    expect(reminderLeadSchema.safeParse({ hoursBefore: 745 }).success).toBe(false);
    expect(reminderLeadSchema.safeParse({ businessDaysBefore: 11, atLocalTime: '09:00' }).success).toBe(
      false,
    );
  });

  it('reads a lead in words', () => {
    expect(describeLead({ hoursBefore: 72 })).toBe('72 hours before the appointment');
    expect(describeLead({ hoursBefore: 1 })).toBe('1 hour before the appointment');
    expect(describeLead({ businessDaysBefore: 1, atLocalTime: '10:00' })).toBe(
      'At 10:00 on the business day before',
    );
    expect(describeLead({ businessDaysBefore: 2, atLocalTime: '16:30' })).toBe(
      'At 16:30, 2 business days before',
    );
  });
});
