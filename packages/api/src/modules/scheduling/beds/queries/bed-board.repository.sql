-- BedBoardRepository.boardBeds (beds)
select "b".*, "r"."name" as "room_name", "r"."gender_restriction", "r"."accessible", "u"."name" as "unit_name", "u"."level_of_care", "a"."id" as "assignment_id", "a"."client_id" as "occupant_id", "a"."admission_id", lower(a.period) as "occupied_since", "h"."id" as "hold_id", "h"."client_id" as "hold_client_id", "h"."referral_id" as "hold_referral_id", "h"."note" as "hold_note", "h"."held_by" as "hold_by", "h"."expires_at" as "hold_expires_at" from "scheduling"."beds" as "b" inner join "scheduling"."rooms" as "r" on "r"."id" = "b"."room_id" inner join "scheduling"."units" as "u" on "u"."id" = "b"."unit_id" left join "scheduling"."bed_assignments" as "a" on "a"."bed_id" = "b"."id" and upper_inf(a.period) left join "scheduling"."bed_holds" as "h" on "h"."bed_id" = "b"."id" and "h"."released_at" is null where "b"."id" in ($1) order by "u"."name", "r"."name", "b"."label", "b"."id";

-- BedBoardRepository.boardBeds (facility)
select "b".*, "r"."name" as "room_name", "r"."gender_restriction", "r"."accessible", "u"."name" as "unit_name", "u"."level_of_care", "a"."id" as "assignment_id", "a"."client_id" as "occupant_id", "a"."admission_id", lower(a.period) as "occupied_since", "h"."id" as "hold_id", "h"."client_id" as "hold_client_id", "h"."referral_id" as "hold_referral_id", "h"."note" as "hold_note", "h"."held_by" as "hold_by", "h"."expires_at" as "hold_expires_at" from "scheduling"."beds" as "b" inner join "scheduling"."rooms" as "r" on "r"."id" = "b"."room_id" inner join "scheduling"."units" as "u" on "u"."id" = "b"."unit_id" left join "scheduling"."bed_assignments" as "a" on "a"."bed_id" = "b"."id" and upper_inf(a.period) left join "scheduling"."bed_holds" as "h" on "h"."bed_id" = "b"."id" and "h"."released_at" is null where "b"."facility_id" = $1 order by "u"."name", "r"."name", "b"."label", "b"."id";

-- BedBoardRepository.census
WITH d AS ( SELECT * FROM unnest($1::date[], $2::timestamptz[], $3::timestamptz[]) AS d(day, starts, ends) ) SELECT u.id AS unit_id, d.day::text AS day, (SELECT count(*)::int FROM scheduling.beds b WHERE b.unit_id = u.id AND b.created_at < d.ends AND coalesce((SELECT e.to_state FROM scheduling.bed_events e WHERE e.bed_id = b.id AND e.occurred_at < d.ends ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1), 'available') <> 'out_of_service' ) AS beds_in_service, (SELECT count(*)::int FROM scheduling.bed_assignments a JOIN scheduling.beds b ON b.id = a.bed_id WHERE b.unit_id = u.id AND a.period @> (d.ends - interval '1 microsecond') ) AS occupied, (SELECT count(*)::int FROM scheduling.bed_events e JOIN scheduling.beds b ON b.id = e.bed_id WHERE b.unit_id = u.id AND e.action = 'admit' AND e.occurred_at >= d.starts AND e.occurred_at < d.ends ) AS admissions, (SELECT count(*)::int FROM scheduling.bed_events e JOIN scheduling.beds b ON b.id = e.bed_id WHERE b.unit_id = u.id AND e.action = 'discharge' AND e.occurred_at >= d.starts AND e.occurred_at < d.ends ) AS discharges FROM scheduling.units u CROSS JOIN d WHERE u.facility_id = $4 ORDER BY d.day, u.name, u.id;

-- BedBoardRepository.closeAssignment
update "scheduling"."bed_assignments" set "period" = tstzrange(lower(period), now(), '[)'), "ended_by" = $1, "end_reason" = $2 where "id" = $3;

-- BedBoardRepository.discharge
update "scheduling"."admissions" set "discharged_at" = now(), "discharged_by" = $1, "disposition" = $2 where "id" = $3;

-- BedBoardRepository.dueHolds
select * from "scheduling"."bed_holds" where "released_at" is null and "expires_at" <= now() order by "expires_at" limit $1;

-- BedBoardRepository.endHold
update "scheduling"."bed_holds" set "released_at" = now(), "release_reason" = $1 where "id" = $2 and "released_at" is null;

-- BedBoardRepository.history
select * from "scheduling"."bed_events" where "bed_id" = $1 order by "occurred_at" desc, "seq" desc limit $2;

-- BedBoardRepository.insertAdmission
insert into "scheduling"."admissions" ("id", "agency_id", "facility_id", "client_id", "admitted_by", "reason") values ($1, $2, $3, $4, $5, $6);

-- BedBoardRepository.insertEvent
insert into "scheduling"."bed_events" ("id", "bed_id", "facility_id", "action", "from_state", "to_state", "client_id", "admission_id", "actor_id", "reason") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- BedBoardRepository.insertHold
insert into "scheduling"."bed_holds" ("id", "bed_id", "client_id", "held_by", "expires_at") values ($1, $2, $3, $4, $5);

-- BedBoardRepository.liveHold
select * from "scheduling"."bed_holds" where "bed_id" = $1 and "released_at" is null;

-- BedBoardRepository.lockBeds
select * from "scheduling"."beds" where "id" in ($1) order by "id" for update;

-- BedBoardRepository.openAdmissionOf
select * from "scheduling"."admissions" where "client_id" = $1 and "discharged_at" is null;

-- BedBoardRepository.openAssignment
INSERT INTO scheduling.bed_assignments (id, bed_id, client_id, admission_id, period, started_by) VALUES ($1, $2, $3, $4, tstzrange(now(), NULL, '[)'), $5);

-- BedBoardRepository.openAssignmentOfBed
select "id", "bed_id", "client_id", "admission_id", lower(period) as "started_at" from "scheduling"."bed_assignments" where "bed_id" = $1 and upper_inf(period);

-- BedBoardRepository.setState
update "scheduling"."beds" set "state" = $1, "state_reason" = $2, "state_changed_at" = now(), "version" = version + 1 where "id" = $3 returning "version";
