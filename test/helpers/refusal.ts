import { expect } from "vitest";
import { InputError } from "../../src/check/read-input.js";

/** The InputError a read of bad input is refused with; fails the test when it is read. */
export async function refusal(read: Promise<unknown>): Promise<InputError> {
  try {
    await read;
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("expected an InputError");
}
