-- LoginAttemptsRepository.clearFailures (password reset)
update "identity"."users" set "failures_counted_from" = now(), "locked_until" = $1 where "id" = $2;

-- LoginAttemptsRepository.clearFailures (signed in)
update "identity"."users" set "failures_counted_from" = now(), "locked_until" = $1, "last_login_at" = now() where "id" = $2;

-- LoginAttemptsRepository.countRecentFailures
select count(*) as "n" from "identity"."login_attempts" as "a" inner join "identity"."users" as "u" on "u"."id" = "a"."user_id" where "a"."user_id" = $1 and "a"."succeeded" = $2 and "a"."reason" in ($3, $4) and "a"."attempted_at" > now() - make_interval(secs => $5) and ("u"."failures_counted_from" is null or "a"."attempted_at" > "u"."failures_counted_from");

-- LoginAttemptsRepository.lock
update "identity"."users" set "locked_until" = now() + make_interval(secs => $1), "failures_counted_from" = now() where "id" = $2 and ("locked_until" is null or "locked_until" <= now()) returning "id";

-- LoginAttemptsRepository.recordAttempt
insert into "identity"."login_attempts" ("user_id", "ip", "succeeded", "reason") values ($1, $2, $3, $4);
