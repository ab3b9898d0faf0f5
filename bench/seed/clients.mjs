// Deterministic synthetic clients for benchmarks: the same seed gives the same people, so runs
// compare. Names mix the surnames and given names common in Wisconsin counties (including
// Hispanic and Hmong names), birth dates span 1930–2024, and about 1 in 50 people is a
// near-duplicate of an earlier one (a typo in the name, same birth date), as real registries have.
//
//   import { seedClients } from './seed/clients.mjs';
//   await seedClients(pgClient, { count: 1_000_000, agencyId, teams, cipher, seed: 42 });

const FAMILY = `Smith Johnson Miller Anderson Nelson Larson Olson Peterson Schmidt Mueller Meyer Wagner
Becker Schultz Hoffman Koch Weber Fischer Krueger Hanson Jensen Christensen Thompson Brown Jones
Williams Davis Wilson Moore Taylor Martin Jackson White Harris Clark Lewis Walker Hall Young King
Wright Lopez Hernandez Garcia Martinez Rodriguez Gonzalez Perez Sanchez Ramirez Torres Flores
Rivera Gomez Diaz Cruz Reyes Morales Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Vang Xiong
Yang Lee Thao Her Moua Lor Vue Khang Chang Lo Kowalski Nowak Wisniewski Lewandowski Zielinski
Novak Kozlowski Jankowski Mazur Krawczyk Baker Carter Mitchell Roberts Turner Phillips Campbell
Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy Bailey Cooper
Richardson Cox Howard Ward Peterson Gray James Watson Brooks Kelly Sanders Price Bennett Wood
Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Washington Butler
Simmons Foster Bryant Alexander Russell Griffin Hayes Myers Ford Hamilton Graham Sullivan Wallace
Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson McDonald Marshall Murray Freeman
Wells Webb Simpson Stevens Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon
Burns Gordon Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight
Ferguson Rose Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Payne Pierce Berry Matthews
Arnold Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews
Ruiz Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Chavez Sims Austin Peters
Kelley Franklin Lawson Fields Gutierrez Ryan Schmidt Carr Vasquez Castillo Wheeler Chapman Oliver
Montgomery Richards Williamson Johnston Banks Meyer Bishop McCoy Howell Alvarez Morrison Hansen
Fernandez Garza Harvey Little Burton Stanley Nguyen George Jacobs Reid Fuller Lynch Dean Gilbert
Garrett Romero Welch Larson Frazier Burke Hanson Day Mendoza Moreno Bowman Medina Fowler Brewer
Hoffman Carlson Silva Pearson Holland Douglas Fleming Jensen Vargas Byrd Davidson Hopkins May Terry
Herrera Wade Soto Walters Curtis Neal Caldwell Lowe Jennings Barnett Graves Jimenez Horton Shelton
Barrett Obrien Castro Sutton Gregory McKinney Lucas Miles Craig Rodriquez Chambers Holt Lambert
Fletcher Watts Bates Hale Rhodes Pena Beck Newman Haynes McDaniel Mendez Bush Vaughn Parks Dawson
Santiago Norris Hardy Love Steele Curry Powers Schultz Barker Guzman Page Munoz Ball Keller Chandler
Weber Leonard Walsh Lyons Ramsey Wolfe Schneider Mullins Benson Sharp Bowen Daniel Barber Cummings
Hines Baldwin Griffith Valdez Hubbard Salazar Reeves Warner Stevenson Burgess Santos Tate Cross
Garner Mann Mack Moss Thornton Dennis McGee Farmer Delgado Aguilar Vega Glover Manning Cohen Harmon
Rodgers Robbins Newton Todd Blair Higgins Ingram Reese Cannon Strickland Townsend Potter Goodwin
Walton Rowe Hampton Ortega Patton Swanson Joseph Francis Goodman Maldonado Yates Becker Erickson
Hodges Rios Conner Adkins Webster Norman Malone Hammond Flowers Cobb Moody Quinn Blake Maxwell Pope
Floyd Osborne Paul McCarthy Guerrero Lindsey Estrada Sandoval Gibbs Tyler Gross Fitzgerald Stokes
Doyle Sherman Saunders Wise Colon Gill Alvarado Greer Padilla Simon Waters Nunez Ballard Schwartz
McBride Houston Christensen Klein Pratt Briggs Parsons McLaughlin Zimmerman French Buchanan Moran
Copeland Roy Pittman Brady McCormick Holloway Brock Poole Frank Logan Owen Bass Marsh Drake Wong
Jefferson Park Morton Abbott Sparks Patrick Norton Huff Clayton Massey Lloyd Figueroa Carson Bowers
Roberson Barton Tran Lamb Harrington Casey Boone Cortez Clarke Mathis Singleton Wilkins Cain Bryan
Underwood Hogan McKenzie Collier Luna Phelps McGuire Allison Bridges Wilkerson Nash Summers Atkins`
  .split(/\s+/)
  .filter(Boolean);
const GIVEN_F = `Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty
Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie
Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen
Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth Julie
Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea Cheryl Hannah
Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy
Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany
Charlotte Marie Kayla Alexis Lori Mai Pa Kia Yer Nou Zoua Bao Chue Lucia Guadalupe Rosa Ana Carmen`
  .split(/\s+/)
  .filter(Boolean);
const GIVEN_M = `James Robert John Michael David William Richard Joseph Thomas Christopher Charles Daniel
Matthew Anthony Mark Donald Steven Andrew Paul Joshua Kenneth Kevin Brian George Timothy Ronald
Jason Edward Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon
Benjamin Samuel Gregory Alexander Patrick Frank Raymond Jack Dennis Jerry Tyler Aaron Jose Adam
Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter Christian Keith Roger Terry Austin
Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy Bruce Gabriel Joe Logan
Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby Russell Bradley Philip
Eugene Tou Pao Chong Fue Xeng Cha Luis Carlos Miguel Jorge Pedro Alejandro Francisco`
  .split(/\s+/)
  .filter(Boolean);

/** mulberry32: a small, fast, seedable PRNG (deterministic across platforms). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** One plausible typo: swap, drop, double or replace a letter (never the first). */
export function typo(rand, word) {
  if (word.length < 4) return `${word}${word.at(-1)}`;
  const i = 1 + Math.floor(rand() * (word.length - 2));
  switch (Math.floor(rand() * 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
    case 1:
      return word.slice(0, i) + word.slice(i + 1);
    case 2:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + 'aeiou'[Math.floor(rand() * 5)] + word.slice(i + 1);
  }
}

function uuidFrom(rand) {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The n-th person of the seed's sequence: names, birth date, sex, SSN and Medicaid id (synthetic). */
export function* people(count, seed = 42) {
  const rand = prng(seed);
  const recent = [];
  for (let n = 0; n < count; n++) {
    const id = uuidFrom(rand);
    if (recent.length > 0 && rand() < 0.02) {
      // A near-duplicate registration of someone registered earlier.
      const twin = recent[Math.floor(rand() * recent.length)];
      yield {
        ...twin,
        id,
        familyName: typo(rand, twin.familyName),
        ssn: null,
        medicaidId: null,
        duplicateOf: twin.id,
      };
      continue;
    }
    const sex = rand() < 0.5 ? 'female' : 'male';
    const start = Date.UTC(1930, 0, 1);
    const birth = new Date(start + Math.floor(rand() * (Date.UTC(2024, 0, 1) - start)));
    const person = {
      id,
      givenName: pick(rand, sex === 'female' ? GIVEN_F : GIVEN_M),
      familyName: pick(rand, FAMILY),
      birthDate: birth.toISOString().slice(0, 10),
      sex,
      // 9-digit SSN-shaped numbers in the 900 area, which the SSA never issues: never a real person's.
      ssn: rand() < 0.8 ? `9${String(Math.floor(rand() * 1e8)).padStart(8, '0')}` : null,
      medicaidId: rand() < 0.6 ? String(4_100_000_000 + n) : null,
      duplicateOf: null,
    };
    if (recent.length < 5000) recent.push(person);
    else recent[Math.floor(rand() * recent.length)] = person;
    yield person;
  }
}

/**
 * Inserts `count` people as clients of `agencyId`, spread round-robin over `teamIds` (each on its
 * team's care team and enrolled in its program), in batches through `unnest` arrays. `cipher` and
 * `identifierIndex` come from the built API (packages/api/dist), so identifiers are sealed exactly
 * as the server seals them. Returns the people who are near-duplicates, for the benchmark to use.
 */
export async function seedClients(
  pg,
  { count, seed = 42, agencyId, teams, createdBy, cipher, identifierIndex, batch = 5000, onProgress },
) {
  const buffer = [];
  let inserted = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const col = (f) => buffer.map(f);
    await pg.query('BEGIN');
    await pg.query(
      `INSERT INTO clients.clients (id, agency_id, given_name, family_name, birth_date, sex_at_birth,
         ssn_ciphertext, ssn_index, ssn_last4, medicaid_id_ciphertext, medicaid_id_index, created_by)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::uuid[])`,
      [
        col((p) => p.id),
        col(() => agencyId),
        col((p) => p.givenName),
        col((p) => p.familyName),
        col((p) => p.birthDate),
        col((p) => p.sex),
        col((p) => (p.ssn ? cipher.encrypt(p.ssn) : null)),
        col((p) => (p.ssn ? identifierIndex(cipher, 'ssn', p.ssn) : null)),
        col((p) => (p.ssn ? p.ssn.slice(-4) : null)),
        col((p) => (p.medicaidId ? cipher.encrypt(p.medicaidId) : null)),
        col((p) => (p.medicaidId ? identifierIndex(cipher, 'medicaid', p.medicaidId) : null)),
        col(() => createdBy),
      ],
    );
    await pg.query(
      `INSERT INTO clients.care_team (id, client_id, team_id, source)
       SELECT gen_random_uuid(), c, t, 'registration' FROM unnest($1::uuid[], $2::uuid[]) AS u(c, t)`,
      [col((p) => p.id), col((p) => p.team.id)],
    );
    await pg.query(
      `INSERT INTO clients.enrollments (id, client_id, program_id, start_date, reason, created_by)
       SELECT gen_random_uuid(), c, pr, '2025-01-01', 'Synthetic benchmark intake', $3
       FROM unnest($1::uuid[], $2::uuid[]) AS u(c, pr)`,
      [col((p) => p.id), col((p) => p.team.programId), createdBy],
    );
    await pg.query('COMMIT');
    inserted += buffer.length;
    buffer.length = 0;
    onProgress?.(inserted);
  };
  const duplicates = [];
  let n = 0;
  for (const person of people(count, seed)) {
    const team = teams[n++ % teams.length];
    buffer.push({ ...person, team });
    if (person.duplicateOf && duplicates.length < 2000) duplicates.push(person);
    if (buffer.length >= batch) await flush();
  }
  await flush();
  return { inserted, duplicates };
}
