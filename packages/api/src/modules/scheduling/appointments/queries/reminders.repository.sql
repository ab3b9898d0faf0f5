-- RemindersRepository.dropPending
delete from "scheduling"."appointment_reminders" where "appointment_id" = $1 and "processed_at" is null;

-- RemindersRepository.insert
insert into "scheduling"."appointment_reminders" ("id", "appointment_id", "agency_id", "lead_key", "lead", "due_at") values ($1, $2, $3, $4, $5::jsonb, $6) on conflict ("appointment_id", "lead_key") do nothing;

-- RemindersRepository.lockDue
select "r"."id", "r"."appointment_id", "r"."agency_id", "r"."lead", "r"."due_at", "a"."client_id", "a"."appointment_type_id", "a"."series_id", "a"."starts_at", "a"."status" from "scheduling"."appointment_reminders" as "r" inner join "scheduling"."appointments" as "a" on "a"."id" = "r"."appointment_id" where "r"."processed_at" is null and "r"."due_at" <= $1::timestamptz order by "r"."due_at", "r"."id" limit $2 for update of "r" skip locked;

-- RemindersRepository.markProcessed
update "scheduling"."appointment_reminders" set "outcome" = $1, "processed_at" = $2 where "id" = $3;

-- RemindersRepository.ofAppointment
select "lead", "due_at", "outcome", "processed_at" from "scheduling"."appointment_reminders" where "appointment_id" = $1 order by "due_at";

-- RemindersRepository.policy
select * from "scheduling"."reminder_policies" where "agency_id" = $1;

-- RemindersRepository.replacePolicy (first policy)
insert into "scheduling"."reminder_policies" ("agency_id", "leads", "updated_by") values ($1, $2::jsonb, $3) on conflict ("agency_id") do nothing returning "agency_id";

-- RemindersRepository.replacePolicy (replace)
update "scheduling"."reminder_policies" set "leads" = $1::jsonb, "updated_by" = $2, "version" = version + 1, "updated_at" = now() where "agency_id" = $3 and "version" = $4;
