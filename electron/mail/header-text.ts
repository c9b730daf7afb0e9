/**
 * What may stand in a header field. CR, LF, NUL and the other C0/C1 controls have no place in
 * one (a CR/LF in a subject, a name or an address would let text become new headers or
 * recipients: header injection); tab is folding whitespace and stays allowed. Shared by the
 * message validation and the IPC contract, so every field that ends up in a header is judged
 * by one rule.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;

/** Whether `value` holds a line break or another control character. */
export function hasControlCharacter(value: string): boolean {
  return CONTROL.test(value);
}
