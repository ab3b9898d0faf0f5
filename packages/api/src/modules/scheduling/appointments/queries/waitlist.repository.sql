-- WaitlistRepository.bestFor
select "e"."id", "e"."agency_id", "e"."client_id", "e"."appointment_type_id", "e"."resource_ids", e.earliest_date::text as "earliest_date", e.latest_date::text as "latest_date", "e"."times_of_day", "e"."priority", "e"."status", "e"."offer_expires_at", "e"."booked_appointment_id", "e"."status_reason", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "scheduling"."waitlist_entries" as "e" where "e"."agency_id" = $1 and "e"."appointment_type_id" = $2 and "e"."client_id" <> $3 and ("e"."status" = $4 or ("e"."status" = $5 and "e"."offer_expires_at" <= $6::timestamptz)) and (e.earliest_date IS NULL OR e.earliest_date <= $7::date) and (e.latest_date IS NULL OR e.latest_date >= $8::date) and (cardinality(e.times_of_day) = 0 OR $9::text = ANY (e.times_of_day)) and (cardinality(e.resource_ids) = 0 OR e.resource_ids && $10::uuid[]) and not exists (select "o"."id" from "scheduling"."waitlist_offers" as "o" where "o"."entry_id" = "e"."id" and "o"."freed_appointment_id" = $11) order by "e"."priority", "e"."created_at", "e"."id" limit $12 for update of "e" skip locked;

-- WaitlistRepository.expirePastDates
update "scheduling"."waitlist_entries" set "status" = $1, "status_reason" = $2, "version" = version + 1, "updated_at" = now() where "status" = $3 and latest_date < $4::date;

-- WaitlistRepository.findById
select "e"."id", "e"."agency_id", "e"."client_id", "e"."appointment_type_id", "e"."resource_ids", e.earliest_date::text as "earliest_date", e.latest_date::text as "latest_date", "e"."times_of_day", "e"."priority", "e"."status", "e"."offer_expires_at", "e"."booked_appointment_id", "e"."status_reason", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "scheduling"."waitlist_entries" as "e" where "e"."id" = $1;

-- WaitlistRepository.findById (held for update)
select "e"."id", "e"."agency_id", "e"."client_id", "e"."appointment_type_id", "e"."resource_ids", e.earliest_date::text as "earliest_date", e.latest_date::text as "latest_date", "e"."times_of_day", "e"."priority", "e"."status", "e"."offer_expires_at", "e"."booked_appointment_id", "e"."status_reason", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "scheduling"."waitlist_entries" as "e" where "e"."id" = $1 for update;

-- WaitlistRepository.insert
insert into "scheduling"."waitlist_entries" ("id", "agency_id", "client_id", "appointment_type_id", "resource_ids", "earliest_date", "latest_date", "times_of_day", "priority", "status_reason", "booked_appointment_id", "created_by") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);

-- WaitlistRepository.insertOffer
insert into "scheduling"."waitlist_offers" ("id", "entry_id", "agency_id", "freed_appointment_id", "starts_at", "ends_at", "resource_ids", "expires_at") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- WaitlistRepository.list
select "e"."id", "e"."agency_id", "e"."client_id", "e"."appointment_type_id", "e"."resource_ids", e.earliest_date::text as "earliest_date", e.latest_date::text as "latest_date", "e"."times_of_day", "e"."priority", "e"."status", "e"."offer_expires_at", "e"."booked_appointment_id", "e"."status_reason", "e"."created_by", "e"."version", "e"."created_at", "e"."updated_at" from "scheduling"."waitlist_entries" as "e" where "e"."agency_id" = $1 and "e"."appointment_type_id" = $2 and "e"."status" in ($3, $4) order by "e"."priority", "e"."created_at", "e"."id" limit $5;

-- WaitlistRepository.lockExpired
select * from "scheduling"."waitlist_offers" where "status" = $1 and "expires_at" <= $2::timestamptz order by "expires_at", "id" limit $3 for update skip locked;

-- WaitlistRepository.offeredBefore
select "id" from "scheduling"."waitlist_offers" where "freed_appointment_id" = $1 limit $2;

-- WaitlistRepository.openOffers
select * from "scheduling"."waitlist_offers" where "entry_id" in ($1) and "status" = $2;

-- WaitlistRepository.setOfferStatus
update "scheduling"."waitlist_offers" set "status" = $1 where "id" = $2;

-- WaitlistRepository.update
update "scheduling"."waitlist_entries" set "status" = $1, "status_reason" = $2, "version" = version + 1, "updated_at" = now() where "id" = $3;
