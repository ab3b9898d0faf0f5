import type { FieldError } from '../../platform/errors/problem.js';

/** A contract's dates and its lines' service codes and dates: what the date rules look at. */
export interface ContractTerms {
  startsOn: string;
  endsOn: string | null;
  lines: readonly LineTerms[];
}

export interface LineTerms {
  serviceCode: string;
  startsOn: string | null;
  endsOn: string | null;
}

/** The days a rate applies, both ends included; `to` null: open-ended. */
export interface Span {
  from: string;
  to: string | null;
}

/** Where a line's problem is reported: `body.lines.<i>.<field>`, or a field of the body when lines were not sent. */
export type LineField = (index: number, field: 'serviceCode' | 'startsOn' | 'endsOn') => string;

export const bodyLineField: LineField = (index, field) => `body.lines.${index}.${field}`;

/** A line's own dates, or the contract's where it gives none. */
export function lineSpan(contract: Pick<ContractTerms, 'startsOn' | 'endsOn'>, line: LineTerms): Span {
  return { from: line.startsOn ?? contract.startsOn, to: line.endsOn ?? contract.endsOn };
}

export function spansOverlap(a: Span, b: Span): boolean {
  return (b.to === null || a.from <= b.to) && (a.to === null || b.from <= a.to);
}

export function describeSpan(span: Span): string {
  return span.to === null ? `from ${span.from}` : `from ${span.from} to ${span.to}`;
}

/**
 * What is wrong with a contract's dates and lines: the contract ending before it starts, a line
 * outside the contract's dates or ending before it starts, and one service code rated twice on
 * overlapping dates (a contract has one rate for a service on any day; a mid-term rate change is
 * two lines of the same code on dates that do not overlap).
 */
export function contractTermErrors(terms: ContractTerms, lineField: LineField = bodyLineField): FieldError[] {
  if (terms.endsOn !== null && terms.endsOn < terms.startsOn) {
    return [{ field: 'body.endsOn', message: `A contract cannot end before it starts (${terms.startsOn}).` }];
  }
  const errors: FieldError[] = [];
  const spans = terms.lines.map((line) => lineSpan(terms, line));
  terms.lines.forEach((line, i) => {
    const span = spans[i] as Span;
    const rate = `Rate line ${i + 1} (${line.serviceCode})`;
    if (span.from < terms.startsOn) {
      errors.push({
        field: lineField(i, 'startsOn'),
        message: `${rate} cannot start before the contract does (${terms.startsOn}).`,
      });
    } else if (terms.endsOn !== null && span.from > terms.endsOn) {
      errors.push({
        field: lineField(i, 'startsOn'),
        message: `${rate} cannot start after the contract ends (${terms.endsOn}).`,
      });
    }
    if (line.endsOn !== null && terms.endsOn !== null && line.endsOn > terms.endsOn) {
      errors.push({
        field: lineField(i, 'endsOn'),
        message: `${rate} runs past the contract's end (${terms.endsOn}).`,
      });
    } else if (span.to !== null && span.to < span.from) {
      errors.push({ field: lineField(i, 'endsOn'), message: `${rate} cannot end before it starts.` });
    }
    const twin = terms.lines.findIndex(
      (other, j) => j < i && other.serviceCode === line.serviceCode && spansOverlap(spans[j] as Span, span),
    );
    if (twin >= 0) {
      errors.push({
        field: lineField(i, 'serviceCode'),
        message: `${line.serviceCode} is already rated on overlapping dates by line ${twin + 1} of this contract.`,
      });
    }
  });
  return errors;
}
