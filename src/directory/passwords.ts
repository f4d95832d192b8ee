import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults; verification is constant-time inside the library. */
export const hashPassword = (plain: string): Promise<string> => hash(plain);

export async function verifyPassword(passwordHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(passwordHash, plain);
  } catch {
    return false;
  }
}
