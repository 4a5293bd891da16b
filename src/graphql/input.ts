// Free-text arguments (names, name fragments, components): bounded in length and free of control
// characters before they reach a statement.
import { containsPattern } from '../inventory/sql-wrap.js';
import { userInputError } from './errors.js';

/** The longest free-text argument accepted (names, name fragments, components). */
export const MAX_TEXT_LENGTH = 256;
// C0 controls and DEL: never part of a name, and a NUL ends a LIKE pattern early on SQLite.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A free-text argument, or BAD_USER_INPUT when it is too long or holds control characters; null stays null. */
export function textArg(name: string, value: string): string;
export function textArg(name: string, value: string | null | undefined): string | null;
export function textArg(name: string, value: string | null | undefined): string | null {
  if (value == null) return null;
  if (value.length > MAX_TEXT_LENGTH) throw userInputError(`${name} is ${value.length} characters long; the maximum is ${MAX_TEXT_LENGTH}`);
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw userInputError(`${name} must not contain control characters (U+0000-U+001F, U+007F); found U+${code} at position ${control.index}`);
  }
  return value;
}

/** The LIKE pattern for a `nameContains` filter (checked as free text), or null for no filter. */
export function nameContainsPattern(value: string | null | undefined, name = 'filter.nameContains'): string | null {
  const text = textArg(name, value);
  return text === null ? null : containsPattern(text);
}
