/**
 * How alike two client records are, as a score in [0, 1] with the reasons a registrar reads
 * ("same SSN", "same birth date", "name 0.82 similar"). Evidence adds up: a shared SSN or
 * Medicaid id is nearly decisive alone; a near-identical name with the same birth date is too;
 * different identifiers or a different sex at birth count against. At LIKELY_DUPLICATE or
 * above, registration stops and asks.
 */
export const LIKELY_DUPLICATE = 0.7;

export interface DuplicateEvidence {
  /** pg_trgm similarity of the names (best of given/preferred name and aliases). */
  nameScore: number;
  birthDate: 'same' | 'typo' | 'different';
  ssn: 'same' | 'different' | 'unknown';
  medicaidId: 'same' | 'different' | 'unknown';
  sexDiffers: boolean;
}

export interface DuplicateScore {
  score: number;
  reasons: string[];
}

export function duplicateScore(evidence: DuplicateEvidence): DuplicateScore {
  const reasons: string[] = [];
  let score = 0;
  if (evidence.ssn === 'same') {
    score += 0.75;
    reasons.push('same SSN');
  }
  if (evidence.medicaidId === 'same') {
    score += 0.75;
    reasons.push('same Medicaid ID');
  }
  if (evidence.birthDate === 'same') {
    score += 0.4;
    reasons.push('same birth date');
  } else if (evidence.birthDate === 'typo') {
    score += 0.25;
    reasons.push('birth date one typo apart');
  }
  score += 0.5 * evidence.nameScore;
  if (evidence.nameScore >= 0.3) reasons.push(`name ${evidence.nameScore.toFixed(2)} similar`);
  if (evidence.ssn === 'different') {
    score -= 0.5;
    reasons.push('different SSN');
  }
  if (evidence.medicaidId === 'different') {
    score -= 0.3;
    reasons.push('different Medicaid ID');
  }
  if (evidence.sexDiffers) {
    score -= 0.15;
    reasons.push('different sex at birth');
  }
  return { score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100, reasons };
}

/**
 * Birth dates one keying slip away from `day` ('YYYY-MM-DD'): day and month swapped, a year,
 * month or day off by one, the two digits of the day, the month or the year's decade swapped.
 * Valid calendar dates only.
 */
export function birthDateTypos(day: string): string[] {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const candidates: [number, number, number][] = [
    [y, d, m],
    [y - 1, m, d],
    [y + 1, m, d],
    [y, m - 1, d],
    [y, m + 1, d],
    [y, m, d - 1],
    [y, m, d + 1],
    [Math.floor(y / 100) * 100 + swapDigits(y % 100), m, d],
    [y, swapDigits(m), d],
    [y, m, swapDigits(d)],
  ];
  const out = new Set<string>();
  for (const [year, month, date] of candidates) {
    const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
    if (iso !== day && isCalendarDate(year, month, date)) out.add(iso);
  }
  return [...out];
}

/** 12 → 21, 7 → 70. */
const swapDigits = (n: number) => (n % 10) * 10 + Math.floor(n / 10);

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last;
}

/** A name as search and duplicate checks compare it: lower case, letters and digits, single spaces. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
