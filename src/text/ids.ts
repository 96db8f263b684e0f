import { randomInt } from "node:crypto";

/** Unguessable ids in an alphabet without look-alikes (no 0/O, 1/I/L), easy to type on a phone. */
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** 8 characters give 31^8 ≈ 8.5 × 10^11 codes; with attempts limited, guessing is hopeless. */
export function randomId(length: number): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}
