import { Injectable } from '@nestjs/common';
import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import { GenerateSql } from '../../platform/database/generate-sql.js';
import { clientInScope, type ClientScopeFilter } from './client-scope.js';
import { ClientsDatabase, type ClientsDb } from './clients.database.js';
import { clientColumns, type ClientRow } from './clients.repository.js';
import type { ClientsTables } from './clients.schema.js';

/** What a search asks for; every given criterion must hold. */
export interface ClientSearchQuery {
  filter: ClientScopeFilter;
  /** The caller's agency; null searches every agency (an `all` grant). */
  agencyId: string | null;
  /** Normalised name words ('maria hernandes'), matched by trigram word similarity. */
  name?: string | undefined;
  birthDate?: string | undefined;
  ssnIndex?: string | undefined;
  /** Blind index of a Medicaid id, on the client or on one of their coverages. */
  medicaidIndex?: string | undefined;
  /** E.164. */
  phone?: string | undefined;
  limit: number;
}

export type ClientSearchRow = ClientRow & { score: number };

/** What a possible duplicate is compared on. */
export interface DuplicateProbe {
  agencyId: string;
  /** The record itself, when checking an existing one. */
  excludeId: string | null;
  /** Normalised 'given family'. */
  name: string;
  sexAtBirth: string;
  /** The birth date first, then the dates a typo would make of it. */
  birthDates: string[];
  ssnIndex: string | null;
  medicaidIndex: string | null;
}

export interface DuplicateCandidateRow {
  id: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex_at_birth: string;
  ssn_index: string | null;
  medicaid_id_index: string | null;
  /** pg_trgm similarity of the probe's name to the best of the candidate's names. */
  name_score: number;
  /** The probe's Medicaid id is on one of the candidate's coverages. */
  medicaid_on_coverage: boolean;
}

/**
 * When a name matches (pg_trgm): the whole query must be word-similar (≥ 0.6) to a stretch of the
 * name — 'hernandes' scores 0.8 against Hernandez — and, when it has several words, each word
 * must also share something with one of the name's words (strict word similarity ≥ 0.2), so
 * 'frances pars' does not match every Frances on the strength of the given name alone (which
 * would also flood the index scan with candidates).
 */
export const NAME_MATCH = { whole: 0.6, eachWord: 0.2 } as const;

/** The words of a multi-word query that each must match (three letters or more; one word adds nothing). */
export function queryWords(name: string): string[] {
  const words = name.split(' ').filter((w) => w.length >= 3);
  return words.length > 1 ? words.slice(0, 5) : [];
}

/**
 * NAME_MATCH with the indexable operators `<%` and `<<%`, whose thresholds the name-only search
 * sets for its transaction (`pg_trgm.word_similarity_threshold` and
 * `strict_word_similarity_threshold`): the GIN index itself then prunes at those levels.
 */
function indexedNameMatch(column: RawBuilder<string>, name: string): RawBuilder<SqlBool> {
  const each = queryWords(name).map((w) => sql`${w} <<% ${column}`);
  return sql<SqlBool>`(${sql.join([sql`${name} <% ${column}`, ...each], sql` AND `)})`;
}

/** NAME_MATCH as plain function calls, for the few rows another index found. */
function nameMatch(column: RawBuilder<string>, name: string): RawBuilder<SqlBool> {
  const each = queryWords(name).map(
    (w) => sql`strict_word_similarity(${w}, ${column}) >= ${NAME_MATCH.eachWord}`,
  );
  return sql<SqlBool>`(${sql.join([sql`word_similarity(${name}, ${column}) >= ${NAME_MATCH.whole}`, ...each], sql` AND `)})`;
}

/** Name-only searches rank at most this many in-scope matches (a name shared by thousands needs more criteria). */
export const NAME_CANDIDATES = 5000;

const EXAMPLE_AGENCY = '0de70000-0000-4000-8000-000000000001';
const EXAMPLE_TEAM = '0de70000-0000-4000-8000-00000000a001';
const EXAMPLE_USER = '0de70000-0000-4000-8000-00000000c004';
const EXAMPLE_CLIENT = '0de70000-0000-4000-8000-0000000d0001';
const TEAM_SCOPE: ClientScopeFilter = {
  kind: 'team',
  agencyId: EXAMPLE_AGENCY,
  teamIds: [EXAMPLE_TEAM],
  userId: EXAMPLE_USER,
};

type Eb = ExpressionBuilder<ClientsTables & { c: ClientsTables['clients.clients'] }, 'c'>;

/**
 * Client search and duplicate candidates. Both are index-driven: name-only searches through the
 * trigram index on `search_name` (clients and aliases), everything else through the blind-index,
 * (agency, birth date) and phone-number indexes, with the name scored on the few rows those find.
 */
@Injectable()
export class ClientSearchRepository {
  constructor(private readonly database: ClientsDatabase) {}

  private get db(): ClientsDb {
    return this.database.db;
  }

  @GenerateSql({
    name: 'name only, team scope',
    params: [{ filter: TEAM_SCOPE, agencyId: EXAMPLE_AGENCY, name: 'maria hernandes', limit: 20 }],
  })
  @GenerateSql({
    name: 'name and birth date, agency scope',
    params: [
      {
        filter: { kind: 'agency', agencyId: EXAMPLE_AGENCY },
        agencyId: EXAMPLE_AGENCY,
        name: 'maria hernandes',
        birthDate: '1984-03-17',
        limit: 20,
      },
    ],
  })
  @GenerateSql({
    name: 'identifiers and phone, team scope',
    params: [
      {
        filter: TEAM_SCOPE,
        agencyId: EXAMPLE_AGENCY,
        ssnIndex: 'ssn-index',
        medicaidIndex: 'medicaid-index',
        phone: '+16085550100',
        limit: 20,
      },
    ],
  })
  search(query: ClientSearchQuery): Promise<ClientSearchRow[]> {
    const exact = query.birthDate ?? query.ssnIndex ?? query.medicaidIndex ?? query.phone;
    const name = query.name;
    if (exact !== undefined || !name) return searchByExactCriteria(this.db, query);
    return this.database.transaction(async (trx) => {
      await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(NAME_MATCH.whole)}, true),
        set_config('pg_trgm.strict_word_similarity_threshold', ${String(NAME_MATCH.eachWord)}, true)`.execute(
        trx,
      );
      return searchByName(trx, query, name);
    });
  }

  /**
   * Candidates for a duplicate check, all of the probe's agency: same SSN or Medicaid id (blind
   * index, also on coverages), or born on the birth date or a typo of it ((agency, birth_date)
   * index). The caller scores them; nothing here reads more than those rows.
   */
  @GenerateSql({
    params: [
      {
        agencyId: EXAMPLE_AGENCY,
        excludeId: EXAMPLE_CLIENT,
        name: 'maria hernandez',
        sexAtBirth: 'female',
        birthDates: ['1984-03-17', '1983-03-17', '1984-03-18'],
        ssnIndex: 'ssn-index',
        medicaidIndex: 'medicaid-index',
      },
    ],
  })
  duplicateCandidates(probe: DuplicateProbe): Promise<DuplicateCandidateRow[]> {
    const db = this.db;
    const { agencyId } = probe;
    let sources = db
      .selectFrom('clients.clients as d')
      .select('d.id')
      .where('d.agency_id', '=', agencyId)
      .where('d.birth_date', 'in', probe.birthDates);
    if (probe.ssnIndex) {
      sources = sources.union(
        db.selectFrom('clients.clients as s').select('s.id').where('s.ssn_index', '=', probe.ssnIndex),
      );
    }
    if (probe.medicaidIndex) {
      sources = sources
        .union(
          db
            .selectFrom('clients.clients as m')
            .select('m.id')
            .where('m.medicaid_id_index', '=', probe.medicaidIndex),
        )
        .union(
          db
            .selectFrom('clients.coverages as v')
            .select('v.client_id as id')
            .where('v.member_id_index', '=', probe.medicaidIndex),
        );
    }
    const name = probe.name;
    let q = db
      .selectFrom('clients.clients as c')
      .select([
        'c.id',
        'c.given_name',
        'c.family_name',
        sql<string>`c.birth_date::text`.as('birth_date'),
        'c.sex_at_birth',
        'c.ssn_index',
        'c.medicaid_id_index',
        sql<number>`greatest(
          similarity(${name}, lower(c.given_name || ' ' || c.family_name)),
          similarity(${name}, lower(coalesce(c.preferred_name, c.given_name) || ' ' || c.family_name)),
          coalesce((SELECT max(similarity(${name}, al.search_name)) FROM clients.aliases al
                    WHERE al.client_id = c.id AND al.ended_at IS NULL), 0))`.as('name_score'),
        // Uncorrelated, so PostgreSQL looks the member id up once, not once per candidate.
        (eb) => {
          const onCoverage = probe.medicaidIndex
            ? eb(
                'c.id',
                'in',
                eb
                  .selectFrom('clients.coverages as mv')
                  .select('mv.client_id')
                  .where('mv.member_id_index', '=', probe.medicaidIndex),
              )
            : sql<SqlBool>`false`;
          return sql<boolean>`${onCoverage}`.as('medicaid_on_coverage');
        },
      ])
      .where('c.agency_id', '=', agencyId)
      .where('c.status', '<>', 'merged')
      .where('c.id', 'in', sources);
    if (probe.excludeId) q = q.where('c.id', '<>', probe.excludeId);
    return q.execute();
  }

  /** Which of these clients the scope filter reaches (names of duplicates are shown only for those). */
  @GenerateSql({ params: [[EXAMPLE_CLIENT], TEAM_SCOPE] })
  async inScope(ids: string[], filter: ClientScopeFilter): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('clients.clients as c')
      .select('c.id')
      .where('c.id', 'in', ids)
      .where((eb) => clientInScope(eb, filter))
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}

/**
 * Name only: the trigram index finds names with a word-similar part (`q <% search_name`), on
 * the record or an alias, already narrowed to the caller's scope; the best score per client
 * ranks them and only the page's rows are read in full.
 */
function searchByName(db: ClientsDb, query: ClientSearchQuery, name: string): Promise<ClientSearchRow[]> {
  const inReach = (eb: Eb): Expression<SqlBool> =>
    eb.and([
      eb('c.status', '<>', 'merged'),
      ...(needsAgency(query) ? [eb('c.agency_id', '=', query.agencyId)] : []),
      clientInScope(eb, query.filter),
    ]);
  const onRecord = db
    .selectFrom('clients.clients as c')
    .select(['c.id', sql<number>`word_similarity(${name}, c.search_name)`.as('score')])
    .where(indexedNameMatch(sql.ref('c.search_name'), name))
    .where(inReach)
    .limit(NAME_CANDIDATES);
  const onAlias = db
    .selectFrom('clients.clients as c')
    .select([
      'c.id',
      sql<number>`(SELECT max(word_similarity(${name}, al.search_name)) FROM clients.aliases al
                   WHERE al.client_id = c.id AND al.ended_at IS NULL)`.as('score'),
    ])
    .where((eb) =>
      eb(
        'c.id',
        'in',
        eb
          .selectFrom('clients.aliases as a')
          .select('a.client_id')
          .where(indexedNameMatch(sql.ref('a.search_name'), name))
          .where('a.ended_at', 'is', null),
      ),
    )
    .where(inReach)
    .limit(NAME_CANDIDATES);
  return (
    db
      // Each branch keeps its own LIMIT: a set operation of bare LIMITed selects is not valid SQL.
      .with('on_record', () => onRecord)
      .with('on_alias', () => onAlias)
      .with('hits', (w) =>
        w.selectFrom('on_record').selectAll().unionAll(w.selectFrom('on_alias').selectAll()),
      )
      .with('best', (w) =>
        w
          .selectFrom('hits')
          .select(['hits.id', (eb) => eb.fn.max('hits.score').as('score')])
          .groupBy('hits.id'),
      )
      .selectFrom('best as b')
      .innerJoin('clients.clients as c', 'c.id', 'b.id')
      .select([...clientColumns, 'b.score'])
      .orderBy('b.score', 'desc')
      .orderBy('c.family_name')
      .orderBy('c.given_name')
      .orderBy('c.id')
      .limit(query.limit)
      .execute()
  );
}

/** Birth date, identifiers or phone: their indexes find the rows; a name, if given, is scored on those. */
function searchByExactCriteria(db: ClientsDb, query: ClientSearchQuery): Promise<ClientSearchRow[]> {
  const name = query.name;
  const score = name
    ? sql<number>`greatest(word_similarity(${name}, c.search_name),
        coalesce((SELECT max(word_similarity(${name}, al.search_name)) FROM clients.aliases al
                  WHERE al.client_id = c.id AND al.ended_at IS NULL), 0))`
    : sql<number>`1`;
  let q = db
    .selectFrom('clients.clients as c')
    .select([...clientColumns, score.as('score')])
    .where('c.status', '<>', 'merged')
    .where((eb) => clientInScope(eb, query.filter));
  if (needsAgency(query)) q = q.where('c.agency_id', '=', query.agencyId);
  if (query.birthDate) q = q.where('c.birth_date', '=', sql<string>`${query.birthDate}::date`);
  if (query.ssnIndex) q = q.where('c.ssn_index', '=', query.ssnIndex);
  const medicaidIndex = query.medicaidIndex;
  if (medicaidIndex) {
    q = q.where((eb) =>
      eb(
        'c.id',
        'in',
        eb
          .selectFrom('clients.clients as m')
          .select('m.id')
          .where('m.medicaid_id_index', '=', medicaidIndex)
          .union(
            eb
              .selectFrom('clients.coverages as v')
              .select('v.client_id as id')
              .where('v.member_id_index', '=', medicaidIndex),
          ),
      ),
    );
  }
  const phone = query.phone;
  if (phone) {
    q = q.where((eb) =>
      eb(
        'c.id',
        'in',
        eb
          .selectFrom('clients.phones as p')
          .select('p.client_id')
          .where('p.number', '=', phone)
          .where('p.ended_at', 'is', null),
      ),
    );
  }
  if (name) {
    q = q.where((eb) =>
      eb.or([
        nameMatch(sql.ref('c.search_name'), name),
        eb.exists(
          eb
            .selectFrom('clients.aliases as am')
            .select('am.id')
            .whereRef('am.client_id', '=', 'c.id')
            .where('am.ended_at', 'is', null)
            .where(nameMatch(sql.ref('am.search_name'), name)),
        ),
      ]),
    );
  }
  return q
    .orderBy('score', 'desc')
    .orderBy('c.family_name')
    .orderBy('c.given_name')
    .orderBy('c.id')
    .limit(query.limit)
    .execute();
}

/** Team, program and agency scope filters already hold the search to the caller's agency. */
function needsAgency(query: ClientSearchQuery): query is ClientSearchQuery & { agencyId: string } {
  return query.agencyId !== null && (query.filter.kind === 'own' || query.filter.kind === 'all');
}
