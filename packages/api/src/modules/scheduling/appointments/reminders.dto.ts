import { z } from 'zod';
import { reminderLeadSchema } from './reminder-schedule.js';

export const ReminderPolicyBody = z.strictObject({
  /**
   * `{hoursBefore}` (elapsed hours before the start) or `{businessDaysBefore, atLocalTime}`
   * (that local time on the nth business day before); empty: no reminders.
   */
  leads: z
    .array(reminderLeadSchema)
    .max(5)
    .refine(
      (leads) => new Set(leads.map((l) => JSON.stringify(l))).size === leads.length,
      'List each lead once.',
    ),
});
export type ReminderPolicyBody = z.output<typeof ReminderPolicyBody>;

export const ReminderPolicyResponse = z
  .object({
    agencyId: z.string(),
    leads: z.array(reminderLeadSchema),
    /** True while the agency has stored none and the default (72 h; 10:00 the business day before) applies. */
    isDefault: z.boolean(),
    timeZone: z.string(),
    /** 0 while the default applies (send If-Match: "0" to store the first policy). */
    version: z.number().int(),
  })
  .meta({ id: 'SchedulingReminderPolicy' });
export type ReminderPolicyView = z.output<typeof ReminderPolicyResponse>;
