-- AppointmentsRepository.busy
SELECT r.resource_id, (extract(epoch FROM lower(r.blocked)) * 1000)::float8 AS from_ms, (extract(epoch FROM upper(r.blocked)) * 1000)::float8 AS to_ms FROM unnest($1::uuid[]) AS q(id) JOIN scheduling.appointment_resources r ON r.resource_id = q.id WHERE r.blocking = true AND r.blocked && tstzrange($2::timestamptz, $3::timestamptz, '[)') ORDER BY r.resource_id, lower(r.blocked);

-- AppointmentsRepository.deleteResources
delete from "scheduling"."appointment_resources" where "appointment_id" = $1;

-- AppointmentsRepository.findById
select * from "scheduling"."appointments" where "id" = $1;

-- AppointmentsRepository.insert
insert into "scheduling"."appointments" ("id", "agency_id", "client_id", "appointment_type_id", "starts_at", "ends_at", "telehealth", "join_url", "notes", "rescheduled_from_id", "series_id", "status_reason", "rescheduled_to_id", "occurrence_start", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15);

-- AppointmentsRepository.insertResources
insert into "scheduling"."appointment_resources" ("appointment_id", "resource_id", "blocked") values ($1, $2, tstzrange($3::timestamptz, $4::timestamptz, '[)'));

-- AppointmentsRepository.listDuring (some resources, some statuses)
select "a".* from "scheduling"."appointments" as "a" where "a"."agency_id" = $1 and a.starts_at < $2::timestamptz and a.ends_at > $3::timestamptz and exists (select "r"."resource_id" from "scheduling"."appointment_resources" as "r" where "r"."appointment_id" = "a"."id" and "r"."resource_id" in ($4)) and "a"."status" in ($5, $6) order by "a"."starts_at", "a"."id" limit $7;

-- AppointmentsRepository.listDuring (the whole agency)
select "a".* from "scheduling"."appointments" as "a" where "a"."agency_id" = $1 and a.starts_at < $2::timestamptz and a.ends_at > $3::timestamptz order by "a"."starts_at", "a"."id" limit $4;

-- AppointmentsRepository.listOfClient
select "a".* from "scheduling"."appointments" as "a" where "a"."client_id" = $1 and "a"."ends_at" > $2::timestamptz and "a"."starts_at" < $3::timestamptz and "a"."status" in ($4) order by "a"."starts_at", "a"."id" limit $5;

-- AppointmentsRepository.listOfSeries
select * from "scheduling"."appointments" where "series_id" in ($1) order by "starts_at", "id";

-- AppointmentsRepository.listOfSeries (held for update)
select * from "scheduling"."appointments" where "series_id" in ($1) order by "starts_at", "id" for update;

-- AppointmentsRepository.lock
select * from "scheduling"."appointments" where "id" = $1 for update;

-- AppointmentsRepository.resourcesOf
select "r"."appointment_id", "r"."resource_id", lower(r.blocked) as "blocked_from", upper(r.blocked) as "blocked_to", "r"."blocking", "s"."program_id" from "scheduling"."appointment_resources" as "r" inner join "scheduling"."resources" as "s" on "s"."id" = "r"."resource_id" where "r"."appointment_id" in ($1) order by "r"."appointment_id", "r"."resource_id";

-- AppointmentsRepository.setBlocking
update "scheduling"."appointment_resources" set "blocking" = $1 where "appointment_id" = $2;

-- AppointmentsRepository.update
update "scheduling"."appointments" set "status" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
