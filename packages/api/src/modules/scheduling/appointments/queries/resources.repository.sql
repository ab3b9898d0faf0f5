-- ResourcesRepository.deleteException
delete from "scheduling"."resource_exceptions" where "id" = $1;

-- ResourcesRepository.exceptionsDuring
select "x"."id", "x"."agency_id", "x"."resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at", "x"."kind", "x"."reason", "x"."created_by", "x"."created_at" from "scheduling"."resource_exceptions" as "x" where "x"."agency_id" = $1 and ("x"."resource_id" is null or "x"."resource_id" in ($2)) and x.during && tstzrange($3::timestamptz, $4::timestamptz, '[)') order by lower(x.during), "x"."id";

-- ResourcesRepository.findById
select * from "scheduling"."resources" where "id" = $1;

-- ResourcesRepository.findByIds
select * from "scheduling"."resources" where "id" in ($1);

-- ResourcesRepository.findException
select "x"."id", "x"."agency_id", "x"."resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at", "x"."kind", "x"."reason", "x"."created_by", "x"."created_at" from "scheduling"."resource_exceptions" as "x" where "x"."id" = $1;

-- ResourcesRepository.findForProviders
select * from "scheduling"."resources" where "agency_id" = $1 and "kind" = $2 and "provider_id" in ($3);

-- ResourcesRepository.findType
select * from "scheduling"."appointment_types" where "id" = $1;

-- ResourcesRepository.hoursOf
select "h"."id", "h"."resource_id", "h"."weekday", to_char(h.starts_at, 'HH24:MI') as "starts_at", to_char(h.ends_at, 'HH24:MI') as "ends_at", h.effective_from::text as "effective_from", h.effective_to::text as "effective_to", "h"."created_at" from "scheduling"."working_hours" as "h" where "h"."resource_id" in ($1) order by "h"."resource_id", "h"."weekday", "h"."starts_at";

-- ResourcesRepository.insert
insert into "scheduling"."resources" ("id", "agency_id", "kind", "provider_id", "name", "program_id", "location") values ($1, $2, $3, $4, $5, $6, $7);

-- ResourcesRepository.insertException
insert into "scheduling"."resource_exceptions" ("id", "agency_id", "resource_id", "kind", "reason", "created_by", "during") values ($1, $2, $3, $4, $5, $6, tstzrange($7::timestamptz, $8::timestamptz, '[)'));

-- ResourcesRepository.insertType
insert into "scheduling"."appointment_types" ("id", "agency_id", "code", "name", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes", "allowed_resource_kinds", "telehealth_allowed") values ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- ResourcesRepository.list (every filter)
select * from "scheduling"."resources" where "agency_id" = $1 and "kind" = $2 and "provider_id" = $3 and "active" = $4 and ("name" > $5 or ("name" = $6 and "id" > $7)) order by "name", "id" limit $8;

-- ResourcesRepository.listTypes
select * from "scheduling"."appointment_types" where "agency_id" = $1 and "active" = $2 order by "name", "id";

-- ResourcesRepository.replaceHours
delete from "scheduling"."working_hours" where "resource_id" = $1;
insert into "scheduling"."working_hours" ("id", "resource_id", "weekday", "starts_at", "ends_at", "effective_from", "effective_to") values ($1, $2, $3, $4, $5, $6, $7);

-- ResourcesRepository.update
update "scheduling"."resources" set "name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- ResourcesRepository.updateType
update "scheduling"."appointment_types" set "duration_minutes" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
