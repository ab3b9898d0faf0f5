-- CaseNotesRepository.addendaOf
select "id" from "cases"."case_notes" where "parent_note_id" = $1 and ("status" = $2 or "author_id" = $3) order by "created_at", "id";

-- CaseNotesRepository.cosign
update "cases"."case_notes" set "cosigned_at" = now(), "cosigned_by" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "status" = $3 and "cosign_required" = $4 and "cosigned_at" is null and "version" = $5;

-- CaseNotesRepository.deleteDraft
delete from "cases"."case_notes" where "id" = $1 and "status" = $2 and "version" = $3;

-- CaseNotesRepository.findById
select * from "cases"."case_notes" where "id" = $1;

-- CaseNotesRepository.insert
insert into "cases"."case_notes" ("id", "case_id", "author_id", "note_type", "contact_at", "duration_minutes", "body", "part2", "cosign_required", "late_entry", "parent_note_id") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- CaseNotesRepository.list (next page)
select * from "cases"."case_notes" where "case_id" = $1 and ("status" = $2 or "author_id" = $3) and ("contact_at" < $4::timestamptz or ("contact_at" = $5::timestamptz and "id" < $6)) order by "contact_at" desc, "id" desc limit $7;

-- CaseNotesRepository.sign
update "cases"."case_notes" set "signed_at" = $1, "signed_by" = $2, "content_hash" = $3, "late_entry" = $4, "status" = $5, "version" = version + 1, "updated_at" = now() where "id" = $6 and "status" = $7 and "version" = $8;

-- CaseNotesRepository.updateDraft
update "cases"."case_notes" set "body" = $1, "version" = version + 1, "updated_at" = now() where "id" = $2 and "status" = $3 and "version" = $4;
