import type { ReminderLead } from '../../api/types.js';

/*
 * The reminder policy's lead times as the form edits them, checked as the API checks them
 * (reminderLeadSchema there): hours before (more than 0, at most 31 days), or a local time on the
 * nth business day before (1–10); at most five, each once. Pure.
 */

export const MAX_LEADS = 5;
const MAX_HOURS = 24 * 31;

export interface LeadDraft {
  kind: 'hours' | 'business-day';
  hours: string;
  days: string;
  /** `HH:MM`, 24-hour, in the agency's zone. */
  at: string;
}

export type LeadErrors = Partial<Record<'hours' | 'days' | 'at', string>>;

export type LeadsResult = { ok: true; leads: ReminderLead[] } | { ok: false; errors: LeadErrors[] };

export function draftOf(lead: ReminderLead): LeadDraft {
  return 'hoursBefore' in lead
    ? { kind: 'hours', hours: String(lead.hoursBefore), days: '1', at: '10:00' }
    : { kind: 'business-day', hours: '24', days: String(lead.businessDaysBefore), at: lead.atLocalTime };
}

/** What "Add a reminder" starts with. */
export function newDraft(): LeadDraft {
  return { kind: 'hours', hours: '24', days: '1', at: '10:00' };
}

/** The leads to store, or a message per draft (by position) for what to correct. */
export function leadsFrom(drafts: readonly LeadDraft[]): LeadsResult {
  const errors: LeadErrors[] = drafts.map(() => ({}));
  const leads: ReminderLead[] = [];
  const seen = new Set<string>();
  drafts.forEach((draft, i) => {
    const found = errors[i] as LeadErrors;
    let lead: ReminderLead | null = null;
    if (draft.kind === 'hours') {
      const hours = /^\s*\d+(\.\d+)?\s*$/.test(draft.hours) ? Number(draft.hours) : NaN;
      if (!(hours > 0 && hours <= MAX_HOURS)) {
        found.hours = `Enter the hours before the appointment: more than 0, at most ${MAX_HOURS} (31 days).`;
      } else {
        lead = { hoursBefore: hours };
      }
    } else {
      const days = /^\s*\d{1,2}\s*$/.test(draft.days) ? Number(draft.days) : NaN;
      if (!(days >= 1 && days <= 10)) found.days = 'Enter 1 to 10 business days.';
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.at)) found.at = 'Enter a time such as 10:00 (24-hour).';
      if (!found.days && !found.at) lead = { businessDaysBefore: days, atLocalTime: draft.at };
    }
    if (!lead) return;
    const key = JSON.stringify(lead);
    if (seen.has(key)) {
      found[draft.kind === 'hours' ? 'hours' : 'days'] = 'This reminder is already in the list.';
      return;
    }
    seen.add(key);
    leads.push(lead);
  });
  return errors.some((e) => Object.keys(e).length > 0) ? { ok: false, errors } : { ok: true, leads };
}

/** A lead in words: "72 hours before", "At 10:00 on the business day before". */
export function describeLead(lead: ReminderLead): string {
  if ('hoursBefore' in lead) {
    return `${lead.hoursBefore} ${lead.hoursBefore === 1 ? 'hour' : 'hours'} before the appointment`;
  }
  return lead.businessDaysBefore === 1
    ? `At ${lead.atLocalTime} on the business day before`
    : `At ${lead.atLocalTime}, ${lead.businessDaysBefore} business days before`;
}
