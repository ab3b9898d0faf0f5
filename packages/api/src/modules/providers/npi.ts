/**
 * A National Provider Identifier is 10 digits whose last is a Luhn check digit computed over the
 * number prefixed with 80840 (the ISO card-issuer prefix for US health applications, CMS NPI rules).
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi}`;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // From the right: the check digit as is, every second digit before it doubled.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
