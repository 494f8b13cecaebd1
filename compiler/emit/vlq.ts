// Base64 VLQ, the number encoding of source map v3 mappings: 5 bits a digit, least significant
// first, a continuation bit; the sign in the lowest bit of the first digit.
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** One integer in base64 VLQ. */
export function vlq(n: number): string {
  let rest = n < 0 ? (-n << 1) | 1 : n << 1;
  let out = "";
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += DIGITS[digit];
  } while (rest > 0);
  return out;
}
