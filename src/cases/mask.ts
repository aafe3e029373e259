/**
 * Applicant personal data (PIPL): names and ids are shown whole only to roles that may read
 * `ApplicantData`; everyone else sees them masked. Masking keeps enough to tell cases apart at
 * a glance (the surname, the region prefix and the check digits of an id) and nothing more.
 *
 * @example
 * maskName('陈明')                // '陈*'
 * maskName('泉州某建设有限公司')    // '泉********'
 * maskId('91350500MA2XXXXXX1')    // '9135**********XXX1'
 */

/** The first character, then one `*` for each of the rest (at least one). */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** The first four and last four characters of an id; short ids keep only their last character. */
export function maskId(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return '*'.repeat(Math.max(1, chars.length - 1)) + (chars.at(-1) ?? '');
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

export interface Applicant {
  kind: string;
  name: string;
  id: string;
  masked?: boolean;
}

/** The applicant as a principal may see it. */
export function applicantFor(a: { kind: string; name: string; id: string }, mayRead: boolean): Applicant {
  return mayRead
    ? { kind: a.kind, name: a.name, id: a.id, masked: false }
    : { kind: a.kind, name: maskName(a.name), id: maskId(a.id), masked: true };
}
