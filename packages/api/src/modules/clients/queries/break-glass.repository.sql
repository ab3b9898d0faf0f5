-- BreakGlassRepository.activeGrant
select * from "clients"."break_glass" where "user_id" = $1 and "client_id" = $2 and "expires_at" > now() order by "expires_at" desc limit $3;

-- BreakGlassRepository.activeGrantsOf
select * from "clients"."break_glass" where "user_id" = $1 and "expires_at" > now() order by "granted_at", "id";

-- BreakGlassRepository.completeReview
update "clients"."privacy_reviews" set "reviewer_id" = $1, "outcome" = $2, "notes" = $3, "status" = $4, "reviewed_at" = now(), "version" = version + 1, "updated_at" = now() where "id" = $5 and "version" = $6 and "status" = $7;

-- BreakGlassRepository.findReview
select "r"."id", "r"."agency_id", "r"."break_glass_id", "r"."status", "r"."reviewer_id", "r"."outcome", "r"."notes", "r"."reviewed_at", "r"."version", "r"."created_at", "r"."updated_at", r.created_at::text as "created_key", "b"."user_id", "b"."client_id", "b"."reason", "b"."purpose_of_use", "b"."granted_at", "b"."expires_at" from "clients"."privacy_reviews" as "r" inner join "clients"."break_glass" as "b" on "b"."id" = "r"."break_glass_id" where "r"."id" = $1;

-- BreakGlassRepository.insertGrant
insert into "clients"."break_glass" ("id", "agency_id", "client_id", "user_id", "reason", "purpose_of_use", "granted_at", "expires_at") values ($1, $2, $3, $4, $5, $6, $7, $8);

-- BreakGlassRepository.insertReview
insert into "clients"."privacy_reviews" ("id", "agency_id", "break_glass_id") values ($1, $2, $3);

-- BreakGlassRepository.reviews (every agency)
select "r"."id", "r"."agency_id", "r"."break_glass_id", "r"."status", "r"."reviewer_id", "r"."outcome", "r"."notes", "r"."reviewed_at", "r"."version", "r"."created_at", "r"."updated_at", r.created_at::text as "created_key", "b"."user_id", "b"."client_id", "b"."reason", "b"."purpose_of_use", "b"."granted_at", "b"."expires_at" from "clients"."privacy_reviews" as "r" inner join "clients"."break_glass" as "b" on "b"."id" = "r"."break_glass_id" order by "r"."created_at", "r"."id" limit $1;

-- BreakGlassRepository.reviews (open reviews of an agency, after a cursor)
select "r"."id", "r"."agency_id", "r"."break_glass_id", "r"."status", "r"."reviewer_id", "r"."outcome", "r"."notes", "r"."reviewed_at", "r"."version", "r"."created_at", "r"."updated_at", r.created_at::text as "created_key", "b"."user_id", "b"."client_id", "b"."reason", "b"."purpose_of_use", "b"."granted_at", "b"."expires_at" from "clients"."privacy_reviews" as "r" inner join "clients"."break_glass" as "b" on "b"."id" = "r"."break_glass_id" where "r"."agency_id" = $1 and "r"."status" = $2 and ("r"."created_at" > $3::timestamptz or ("r"."created_at" = $4::timestamptz and "r"."id" > $5)) order by "r"."created_at", "r"."id" limit $6;
