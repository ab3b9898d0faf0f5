-- ResourcesRepository.deleteException
delete from "scheduling"."resource_exceptions" where "id" = $1;

-- ResourcesRepository.displacedAppointments (one exception, all of them)
select "a".* from "scheduling"."appointments" as "a" where "a"."id" in (select "r"."appointment_id" from "scheduling"."resource_exceptions" as "x" inner join "scheduling"."resources" as "res" on "res"."agency_id" = "x"."agency_id" and ("x"."resource_id" is null or "x"."resource_id" = "res"."id") inner join "scheduling"."appointment_resources" as "r" on "r"."resource_id" = "res"."id" and r.blocking = true and r.blocked && x.during where "x"."agency_id" = $1 and upper(x.during) > now() and "x"."id" = $2) and "a"."agency_id" = $3 and "a"."status" = $4 and a.starts_at > now() order by "a"."starts_at", "a"."id";

-- ResourcesRepository.displacedAppointments (the worklist, every filter)
select "a".* from "scheduling"."appointments" as "a" where "a"."id" in (select "r"."appointment_id" from "scheduling"."resource_exceptions" as "x" inner join "scheduling"."resources" as "res" on "res"."agency_id" = "x"."agency_id" and ("x"."resource_id" is null or "x"."resource_id" = "res"."id") inner join "scheduling"."appointment_resources" as "r" on "r"."resource_id" = "res"."id" and r.blocking = true and r.blocked && x.during where "x"."agency_id" = $1 and upper(x.during) > now() and "res"."id" = $2) and "a"."agency_id" = $3 and "a"."status" = $4 and a.starts_at > now() and "a"."starts_at" >= $5::timestamptz and "a"."starts_at" < $6::timestamptz and (a.starts_at, a.id) > ($7::timestamptz, $8::uuid) order by "a"."starts_at", "a"."id" limit $9;

-- ResourcesRepository.displacements
select "r"."appointment_id", "r"."resource_id", "x"."id" as "exception_id", "x"."kind", "x"."resource_id" as "exception_resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at" from "scheduling"."appointment_resources" as "r" inner join "scheduling"."resources" as "res" on "res"."id" = "r"."resource_id" inner join "scheduling"."resource_exceptions" as "x" on "x"."agency_id" = "res"."agency_id" and ("x"."resource_id" is null or "x"."resource_id" = "r"."resource_id") and x.during && r.blocked where "r"."appointment_id" in ($1) and r.blocking = true order by "r"."appointment_id", lower(x.during), "x"."id", "r"."resource_id";

-- ResourcesRepository.displacements (one exception)
select "r"."appointment_id", "r"."resource_id", "x"."id" as "exception_id", "x"."kind", "x"."resource_id" as "exception_resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at" from "scheduling"."appointment_resources" as "r" inner join "scheduling"."resources" as "res" on "res"."id" = "r"."resource_id" inner join "scheduling"."resource_exceptions" as "x" on "x"."agency_id" = "res"."agency_id" and ("x"."resource_id" is null or "x"."resource_id" = "r"."resource_id") and x.during && r.blocked where "r"."appointment_id" in ($1) and r.blocking = true and "x"."id" = $2 order by "r"."appointment_id", lower(x.during), "x"."id", "r"."resource_id";

-- ResourcesRepository.exceptionsDuring
select "x"."id", "x"."agency_id", "x"."resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at", "x"."kind", "x"."reason", "x"."created_by", "x"."version", "x"."created_at" from "scheduling"."resource_exceptions" as "x" where "x"."agency_id" = $1 and ("x"."resource_id" is null or "x"."resource_id" in ($2)) and x.during && tstzrange($3::timestamptz, $4::timestamptz, '[)') order by lower(x.during), "x"."id";

-- ResourcesRepository.findById
select * from "scheduling"."resources" where "id" = $1;

-- ResourcesRepository.findByIds
select * from "scheduling"."resources" where "id" in ($1);

-- ResourcesRepository.findException
select "x"."id", "x"."agency_id", "x"."resource_id", lower(x.during) as "starts_at", upper(x.during) as "ends_at", "x"."kind", "x"."reason", "x"."created_by", "x"."version", "x"."created_at" from "scheduling"."resource_exceptions" as "x" where "x"."id" = $1;

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

-- ResourcesRepository.insertForProvider
insert into "scheduling"."resources" ("id", "agency_id", "kind", "provider_id", "name", "program_id", "location") values ($1, $2, $3, $4, $5, $6, $7) on conflict ("agency_id", "provider_id") where "provider_id" is not null do nothing;

-- ResourcesRepository.insertType
insert into "scheduling"."appointment_types" ("id", "agency_id", "code", "name", "duration_minutes", "buffer_before_minutes", "buffer_after_minutes", "allowed_resource_kinds", "telehealth_allowed") values ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- ResourcesRepository.list (every filter)
select * from "scheduling"."resources" where "agency_id" = $1 and "kind" = $2 and "provider_id" = $3 and "active" = $4 and ("name" > $5 or ("name" = $6 and "id" > $7)) order by "name", "id" limit $8;

-- ResourcesRepository.listTypes
select * from "scheduling"."appointment_types" where "agency_id" = $1 and "active" = $2 order by "name", "id";

-- ResourcesRepository.lockResources
select "id" from "scheduling"."resources" where "agency_id" = $1 and "id" = $2 order by "id" for update;

-- ResourcesRepository.lockResources (a closure)
select "id" from "scheduling"."resources" where "agency_id" = $1 order by "id" for update;

-- ResourcesRepository.renameForProvider
update "scheduling"."resources" set "name" = $1, "version" = version + 1, "updated_at" = now() where "agency_id" = $2 and "kind" = $3 and "provider_id" = $4 and "name" <> $5;

-- ResourcesRepository.replaceHours
delete from "scheduling"."working_hours" where "resource_id" = $1;
insert into "scheduling"."working_hours" ("id", "resource_id", "weekday", "starts_at", "ends_at", "effective_from", "effective_to") values ($1, $2, $3, $4, $5, $6, $7);

-- ResourcesRepository.update
update "scheduling"."resources" set "name" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;

-- ResourcesRepository.updateException
update "scheduling"."resource_exceptions" set "during" = tstzrange($1::timestamptz, $2::timestamptz, '[)'), "reason" = $3, "version" = version + 1, "updated_at" = now() where "id" = $4 and "version" = $5;

-- ResourcesRepository.updateType
update "scheduling"."appointment_types" set "duration_minutes" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
