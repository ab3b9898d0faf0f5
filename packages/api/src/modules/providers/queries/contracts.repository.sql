-- ContractsRepository.contractsOf
select "c"."id", "c"."provider_id", "c"."agency_id", "c"."number", c.starts_on::text as "starts_on", c.ends_on::text as "ends_on", "c"."status", "c"."version", "c"."created_at", "c"."updated_at" from "providers"."contracts" as "c" where "c"."provider_id" = $1 order by "c"."starts_on" desc, "c"."id";

-- ContractsRepository.find
select "c"."id", "c"."provider_id", "c"."agency_id", "c"."number", c.starts_on::text as "starts_on", c.ends_on::text as "ends_on", "c"."status", "c"."version", "c"."created_at", "c"."updated_at" from "providers"."contracts" as "c" where "c"."id" = $1;

-- ContractsRepository.insert
insert into "providers"."contracts" ("id", "provider_id", "agency_id", "number", "starts_on", "ends_on", "status") values ($1, $2, $3, $4, $5, $6, $7);

-- ContractsRepository.linesOf
select "l"."id", "l"."contract_id", "l"."service_code", "l"."rate_cents", "l"."unit_type", "l"."cap_units", "l"."cap_amount_cents", l.starts_on::text as "starts_on", l.ends_on::text as "ends_on", "l"."created_at" from "providers"."contract_lines" as "l" where "l"."contract_id" in ($1) order by "l"."contract_id", "l"."service_code", "l"."starts_on" asc nulls first, "l"."id";

-- ContractsRepository.lockProvider
select "id" from "providers"."providers" where "id" = $1 for update;

-- ContractsRepository.rateOn
select "c"."id" as "contract_id", "c"."number" as "contract_number", "l"."id" as "line_id", "l"."service_code", "l"."rate_cents", "l"."unit_type", "l"."cap_units", "l"."cap_amount_cents", coalesce(l.starts_on, c.starts_on)::text as "starts_on", coalesce(l.ends_on, c.ends_on)::text as "ends_on" from "providers"."contract_lines" as "l" inner join "providers"."contracts" as "c" on "c"."id" = "l"."contract_id" where "c"."provider_id" = $1 and "c"."status" in ($2, $3) and "l"."service_code" = $4 and coalesce(l.starts_on, c.starts_on) <= $5::date and (coalesce(l.ends_on, c.ends_on) is null or coalesce(l.ends_on, c.ends_on) >= $6::date) order by coalesce(l.starts_on, c.starts_on) desc, "l"."id" limit $7;

-- ContractsRepository.ratesInEffect
select "c"."id" as "contract_id", "c"."number" as "contract_number", "l"."id" as "line_id", "l"."service_code", "l"."rate_cents", "l"."unit_type", "l"."cap_units", "l"."cap_amount_cents", coalesce(l.starts_on, c.starts_on)::text as "starts_on", coalesce(l.ends_on, c.ends_on)::text as "ends_on" from "providers"."contract_lines" as "l" inner join "providers"."contracts" as "c" on "c"."id" = "l"."contract_id" where "c"."provider_id" = $1 and "c"."status" in ($2, $3) and "c"."id" <> $4 and "l"."service_code" in ($5, $6) order by "c"."number", "l"."id";

-- ContractsRepository.replaceLines
delete from "providers"."contract_lines" where "contract_id" = $1;
insert into "providers"."contract_lines" ("id", "contract_id", "service_code", "rate_cents", "unit_type", "cap_units", "cap_amount_cents", "starts_on", "ends_on") values ($1, $2, $3, $4, $5, $6, $7, $8, $9);

-- ContractsRepository.update
update "providers"."contracts" set "status" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "version" = $3;
