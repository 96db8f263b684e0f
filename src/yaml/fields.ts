import { z } from "zod";

/** Ids are used in Keyv keys and callback data, so keep them short, ASCII and stable. */
export const idSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, "must be lowercase ASCII letters, digits and '-'")
  .max(24);
