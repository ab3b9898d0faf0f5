import { describe, expect, it } from 'vitest';
import {
  birthDateTypos,
  duplicateScore,
  LIKELY_DUPLICATE,
  normaliseName,
} from '../../src/modules/clients/duplicate-score.js';
import { toE164 } from '../../src/modules/clients/phone-number.js';

describe('duplicate scoring', () => {
  const evidence = {
    nameScore: 0,
    birthDate: 'different',
    ssn: 'unknown',
    medicaidId: 'unknown',
    sexDiffers: false,
  } as const;

  it('calls the same SSN or Medicaid id a likely duplicate on its own', () => {
    expect(duplicateScore({ ...evidence, ssn: 'same' })).toEqual({ score: 0.75, reasons: ['same SSN'] });
    expect(duplicateScore({ ...evidence, medicaidId: 'same' }).score).toBeGreaterThanOrEqual(
      LIKELY_DUPLICATE,
    );
  });

  it('needs a close name with the same birth date, or the same name with a mistyped one', () => {
    expect(duplicateScore({ ...evidence, nameScore: 0.78, birthDate: 'same' })).toEqual({
      score: 0.79,
      reasons: ['same birth date', 'name 0.78 similar'],
    });
    expect(duplicateScore({ ...evidence, nameScore: 1, birthDate: 'typo' }).score).toBeGreaterThanOrEqual(
      LIKELY_DUPLICATE,
    );
    expect(duplicateScore({ ...evidence, nameScore: 0.5, birthDate: 'same' }).score).toBeLessThan(
      LIKELY_DUPLICATE,
    );
    expect(duplicateScore({ ...evidence, nameScore: 1 }).score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it('counts different identifiers and a different sex at birth against', () => {
    const namesakes = duplicateScore({ ...evidence, nameScore: 1, birthDate: 'same', ssn: 'different' });
    expect(namesakes.score).toBeLessThan(LIKELY_DUPLICATE);
    expect(namesakes.reasons).toContain('different SSN');
    const twins = duplicateScore({ ...evidence, nameScore: 0.78, birthDate: 'same', sexDiffers: true });
    expect(twins.score).toBeLessThan(LIKELY_DUPLICATE);
  });

  it('lists the birth dates one keying slip away', () => {
    // Day and month cannot swap (no 17th month), nor the day's digits (no 71st).
    expect(birthDateTypos('1984-03-17').sort()).toEqual(
      [
        '1983-03-17',
        '1985-03-17',
        '1984-02-17',
        '1984-04-17',
        '1984-03-16',
        '1984-03-18',
        '1948-03-17',
      ].sort(),
    );
    expect(birthDateTypos('1961-07-12')).toEqual(expect.arrayContaining(['1961-12-07', '1961-07-21']));
    expect(birthDateTypos('2000-02-29')).not.toContain('2001-02-29');
  });

  it('normalises names for comparison', () => {
    expect(normaliseName('  Hernández-López, María ')).toBe('hernández lópez maría');
  });
});

describe('phone numbers', () => {
  it('writes North American and international numbers as E.164', () => {
    expect(toE164('(608) 555-0147')).toBe('+16085550147');
    expect(toE164('1-608-555-0147')).toBe('+16085550147');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('555-0147')).toBeNull();
    expect(toE164('608-055-0147')).toBeNull();
    expect(toE164('call me')).toBeNull();
  });
});
