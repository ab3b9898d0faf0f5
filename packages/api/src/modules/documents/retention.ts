import type { DocumentCategory, RetentionClass } from './documents.schema.js';

/**
 * How long a record is kept, by class (Wisconsin's schedules for county human-services records,
 * simplified): clinical records 7 years from the document's date; a minor's records until the
 * client turns 25, and never less than 7 years; billing records 10 years; some for good.
 */
export function destroyAfter(
  retentionClass: RetentionClass,
  documentDate: string,
  birthDate: string | null,
): string | null {
  switch (retentionClass) {
    case 'permanent':
      return null;
    case 'clinical_7y':
      return addYears(documentDate, 7);
    case 'billing_10y':
      return addYears(documentDate, 10);
    case 'minor_until_25': {
      const sevenYears = addYears(documentDate, 7);
      if (birthDate === null) return sevenYears;
      const twentyFifth = addYears(birthDate, 25);
      return twentyFifth > sevenYears ? twentyFifth : sevenYears;
    }
  }
}

/**
 * The class a document gets when the uploader names none: by category, and a minor's clinical
 * record (the client under 18 on the document's date) is kept until they are 25.
 */
export function defaultRetentionClass(
  category: DocumentCategory,
  documentDate: string,
  birthDate: string | null,
): RetentionClass {
  if (category === 'court_order') return 'permanent';
  if (category === 'insurance_card') return 'billing_10y';
  if (birthDate !== null && addYears(birthDate, 18) > documentDate) return 'minor_until_25';
  return 'clinical_7y';
}

/** 'YYYY-MM-DD' plus whole years; 29 February becomes 28 February in a common year. */
export function addYears(isoDate: string, years: number): string {
  const [y = 0, m = 1, d = 1] = isoDate.split('-').map(Number);
  const year = y + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const day = m === 2 && d === 29 && !leap ? 28 : d;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The date a new document bears: the one the uploader gave, else `today` — the agency's day
 * (AgencyClock), so an upload at 19:00 in Chicago on 30 November is dated 30 November though UTC
 * is on 1 December. Null when the date given is after `today`: no document is dated in the future.
 */
export function documentDateFor(given: string | undefined, today: string): string | null {
  const date = given ?? today;
  return date > today ? null : date;
}
