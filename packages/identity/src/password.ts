import { hash, verify } from '@node-rs/argon2';
import { AppError } from '@mosaic/kernel';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's minimum for argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// The commonest passwords (top of public breach lists, plus Chinese favourites).
const COMMON = new Set([
  'password', 'password1', 'password123', '12345678', '123456789', '1234567890', '11111111', '00000000', '88888888',
  '66666666', '87654321', 'qwertyui', 'qwerty123', '1qaz2wsx', 'abc12345', 'abcd1234', 'iloveyou', 'admin123',
  'admin1234', 'welcome1', 'letmein1', 'sunshine', 'princess', 'football', 'baseball', 'woaini1314', '5201314520',
  'a1234567', 'aa123456', 'zxcvbnm1', 'passw0rd', 'p@ssw0rd', 'changeme', 'qwertyuiop', '123123123', '1q2w3e4r',
  '147258369', '159357456', 'asdfghjk', 'mosaic123', 'trustno1', 'dragon123', 'monkey123', 'shadow12', 'master12',
]);

/** Password rules: 8 to 128 characters, not one of the commonest passwords. */
export function assertPasswordAcceptable(password: unknown, field = 'password'): asserts password is string {
  if (typeof password !== 'string') throw new AppError('PASSWORD_WEAK', `${field}: must be text`, { field });
  const length = [...password].length;
  if (length < 8) throw new AppError('PASSWORD_WEAK', `${field}: must be at least 8 characters`, { field });
  if (length > 128) throw new AppError('PASSWORD_WEAK', `${field}: must be at most 128 characters`, { field });
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    throw new AppError('PASSWORD_WEAK', `${field}: is one of the most common passwords; choose another`, { field });
  }
}
