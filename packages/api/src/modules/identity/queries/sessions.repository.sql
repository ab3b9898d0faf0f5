-- SessionsRepository.create
insert into "identity"."sessions" ("id", "user_id", "ip", "user_agent", "amr") values ($1, $2, $3, $4, $5);

-- SessionsRepository.find
select * from "identity"."sessions" where "id" = $1;

-- SessionsRepository.findRefreshToken
select * from "identity"."refresh_tokens" where "token_hash" = $1;

-- SessionsRepository.insertRefreshToken
insert into "identity"."refresh_tokens" ("token_hash", "session_id", "expires_at") values ($1, $2, $3);

-- SessionsRepository.listLive
select "s".* from "identity"."sessions" as "s" where "s"."user_id" = $1 and "s"."revoked_at" is null and exists (select 1 as "one" from "identity"."refresh_tokens" as "r" where "r"."session_id" = "s"."id" and "r"."used_at" is null and "r"."expires_at" > now()) order by "s"."last_used_at" desc;

-- SessionsRepository.revoke (every session)
update "identity"."sessions" set "revoked_at" = now(), "revoked_reason" = $1 where "user_id" = $2 and "revoked_at" is null returning "id";

-- SessionsRepository.revoke (some sessions, except the current one)
update "identity"."sessions" set "revoked_at" = now(), "revoked_reason" = $1 where "user_id" = $2 and "revoked_at" is null and "id" in ($3, $4) and "id" != $5 returning "id";

-- SessionsRepository.revokedSince
select "id" from "identity"."sessions" where "revoked_at" > now() - make_interval(secs => $1);

-- SessionsRepository.touch
update "identity"."sessions" set "last_used_at" = now() where "id" = $1;

-- SessionsRepository.useRefreshToken
update "identity"."refresh_tokens" set "used_at" = now() where "token_hash" = $1 and "used_at" is null and "expires_at" > now() returning "session_id";
