-- SeriesRepository.findById
select * from "scheduling"."appointment_series" where "id" = $1;

-- SeriesRepository.findById (held for update)
select * from "scheduling"."appointment_series" where "id" = $1 for update;

-- SeriesRepository.insert
insert into "scheduling"."appointment_series" ("id", "agency_id", "client_id", "appointment_type_id", "resource_ids", "rrule", "first_start", "wall_time", "time_zone", "duration_minutes", "telehealth", "join_url", "split_from_id", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14);

-- SeriesRepository.update
update "scheduling"."appointment_series" set "rrule" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
