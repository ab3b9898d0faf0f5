import type { FieldCipher } from '../../platform/crypto/field-cipher.js';

export type IdentifierKind = 'ssn' | 'medicaid';

/**
 * Blind index of a client identifier: an HMAC of its digits, prefixed by kind so an SSN and a
 * Medicaid id can never collide. Exact-match lookup and duplicate checks compare these.
 */
export function identifierIndex(cipher: FieldCipher, kind: IdentifierKind, value: string): string {
  return cipher.blindIndex(`${kind}:${value.replace(/\D/g, '')}`, (v) => v);
}

/** Column values for an identifier (or for clearing it). */
export function sealSsn(cipher: FieldCipher, ssn: string | null) {
  return ssn === null
    ? { ssn_ciphertext: null, ssn_index: null, ssn_last4: null }
    : {
        ssn_ciphertext: cipher.encrypt(ssn),
        ssn_index: identifierIndex(cipher, 'ssn', ssn),
        ssn_last4: ssn.slice(-4),
      };
}

export function sealMedicaidId(cipher: FieldCipher, medicaidId: string | null) {
  return medicaidId === null
    ? { medicaid_id_ciphertext: null, medicaid_id_index: null }
    : {
        medicaid_id_ciphertext: cipher.encrypt(medicaidId),
        medicaid_id_index: identifierIndex(cipher, 'medicaid', medicaidId),
      };
}
