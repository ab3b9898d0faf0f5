import { describe, expect, it } from 'vitest';
import { mapProblemToFieldErrors, problemKind, unmappedFieldErrors, type Problem } from '../src/problem.js';

const validation: Problem = {
  type: 'https://ehrms.dev/problems/validation',
  title: 'The request is not valid',
  status: 400,
  errors: [
    { field: 'body.email', message: 'Enter a valid email address.' },
    { field: 'body.password', message: 'Too short.' },
    { field: 'body.password', message: 'Must contain a digit.' },
    { field: 'body.roles.1', message: 'Unknown role.' },
    { field: 'query.limit', message: 'Too large.' },
  ],
};

describe('mapping a problem onto form fields', () => {
  it('puts each message under the field it names, without the request location prefix', () => {
    expect(mapProblemToFieldErrors(validation)).toEqual({
      email: 'Enter a valid email address.',
      password: 'Too short. Must contain a digit.',
      roles: 'Unknown role.',
      limit: 'Too large.',
    });
  });

  it('maps only the fields on screen and reports the rest for the summary', () => {
    const fields = ['email', 'password', 'roles'];
    expect(Object.keys(mapProblemToFieldErrors(validation, fields))).toEqual(fields);
    expect(unmappedFieldErrors(validation, fields)).toEqual([
      { field: 'query.limit', message: 'Too large.' },
    ]);
  });

  it('gives nothing for a problem without field errors or no problem at all', () => {
    expect(mapProblemToFieldErrors({ title: 'Forbidden', status: 403 })).toEqual({});
    expect(mapProblemToFieldErrors(null)).toEqual({});
  });

  it('names the problem kind from its type URI', () => {
    expect(problemKind(validation)).toBe('validation');
    expect(problemKind({ title: 'x' })).toBeUndefined();
  });
});
