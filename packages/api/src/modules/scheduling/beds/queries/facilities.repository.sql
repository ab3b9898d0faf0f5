-- FacilitiesRepository.findFacility
select * from "scheduling"."facilities" where "id" = $1;

-- FacilitiesRepository.findRoom
select "r".*, "u"."facility_id" from "scheduling"."rooms" as "r" inner join "scheduling"."units" as "u" on "u"."id" = "r"."unit_id" where "r"."id" = $1;

-- FacilitiesRepository.findUnit
select * from "scheduling"."units" where "id" = $1;

-- FacilitiesRepository.insertBed
insert into "scheduling"."beds" ("id", "room_id", "unit_id", "facility_id", "label", "attributes") values ($1, $2, $3, $4, $5, $6);

-- FacilitiesRepository.insertFacility
insert into "scheduling"."facilities" ("id", "agency_id", "program_id", "name", "address") values ($1, $2, $3, $4, $5);

-- FacilitiesRepository.insertRoom
insert into "scheduling"."rooms" ("id", "unit_id", "name", "gender_restriction", "accessible") values ($1, $2, $3, $4, $5);

-- FacilitiesRepository.insertUnit
insert into "scheduling"."units" ("id", "facility_id", "name", "level_of_care") values ($1, $2, $3, $4);

-- FacilitiesRepository.listFacilities
select * from "scheduling"."facilities" where "agency_id" = $1 order by "name", "id";

-- FacilitiesRepository.roomsOf
select "r".* from "scheduling"."rooms" as "r" inner join "scheduling"."units" as "u" on "u"."id" = "r"."unit_id" where "u"."facility_id" = $1 order by "r"."name", "r"."id";

-- FacilitiesRepository.unitsOf
select * from "scheduling"."units" where "facility_id" = $1 order by "name", "id";
