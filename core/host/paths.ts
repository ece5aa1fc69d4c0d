import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--data-dir`, else CANDLEWICK_HOME, else ~/.candlewick. */
export function resolveDataDir(flag?: string): string {
  if (flag) return resolve(flag);
  const env = process.env.CANDLEWICK_HOME;
  if (env) return resolve(env);
  return join(homedir(), '.candlewick');
}
