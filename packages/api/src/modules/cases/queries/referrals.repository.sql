-- ReferralsRepository.decide
update "cases"."referrals" set "status" = $1, "decided_by" = $2, "decline_reason" = $3, "decided_at" = now(), "version" = version + 1, "updated_at" = now() where "id" = $4 and "status" = $5 and "version" = $6;

-- ReferralsRepository.findById
select * from "cases"."referrals" where "id" = $1;

-- ReferralsRepository.fromCase
select * from "cases"."referrals" where "from_case_id" = $1 order by "referred_at" desc, "id" desc;

-- ReferralsRepository.incoming (every program of the agency)
select * from "cases"."referrals" where "agency_id" = $1 order by "referred_at" desc, "id" desc limit $2;

-- ReferralsRepository.incoming (pending, to my programs, next page)
select * from "cases"."referrals" where "agency_id" = $1 and "to_program_id" in ($2) and "status" = $3 and ("referred_at" < $4::timestamptz or ("referred_at" = $5::timestamptz and "id" < $6)) order by "referred_at" desc, "id" desc limit $7;

-- ReferralsRepository.insert
insert into "cases"."referrals" ("id", "agency_id", "client_id", "from_case_id", "from_program_id", "to_program_id", "reason", "urgency", "part2", "referred_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
