/**
 * `--warehouse <file.duckdb | postgres://user@host/db>`: which backend a target names, and the
 * target with its password hidden, for every message that mentions it.
 */

/** True when `target` is a PostgreSQL URL (`postgres://` or `postgresql://`, any letter case). */
export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * The target with any password replaced by `***`; a DuckDB path is returned as is. Works on
 * strings that are not valid URLs too: whatever follows `user:` up to the last `@` is hidden.
 */
export function redactTarget(target: string): string {
  if (!isPostgresTarget(target)) return target;
  try {
    const u = new URL(target);
    if (u.password) u.password = '***';
    // A password may also be given as a query parameter (`?password=…`), which libpq accepts.
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    const m = unparsedAuthority(target);
    return m ? `${m.scheme}${m.user}${m.password === undefined ? '' : ':***'}@${m.rest}` : target;
  }
}

/** Every secret a PostgreSQL URL holds (password in the authority or the query), percent-decoded and raw. */
export function targetSecrets(target: string): string[] {
  if (!isPostgresTarget(target)) return [];
  const secrets = new Set<string>();
  try {
    const u = new URL(target);
    for (const raw of [u.password, u.searchParams.get('password') ?? '']) {
      if (raw === '') continue;
      secrets.add(raw);
      try {
        secrets.add(decodeURIComponent(raw));
      } catch {
        // a bad escape: the raw text is all there is
      }
    }
  } catch {
    const password = unparsedAuthority(target)?.password;
    if (password) secrets.add(password);
  }
  return [...secrets].filter((s) => s.length > 0);
}

/** `text` with every secret of `target` replaced by `***`: for messages of libraries we do not control. */
export function scrubSecrets(text: string, target: string): string {
  let out = text;
  for (const secret of targetSecrets(target)) out = out.split(secret).join('***');
  return out;
}

/**
 * User, password and the rest of a target that is no valid URL, split at the last `@`: most often
 * such a target holds a password with `/`, `?` or `#` not percent-encoded, which would otherwise end
 * the authority early and leave the password in plain sight.
 */
function unparsedAuthority(target: string): { scheme: string; user: string; password: string | undefined; rest: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)@([\s\S]*)$/i.exec(target);
  if (!m) return undefined;
  const auth = m[2]!;
  const colon = auth.indexOf(':');
  return {
    scheme: m[1]!,
    user: colon >= 0 ? auth.slice(0, colon) : auth,
    password: colon >= 0 ? auth.slice(colon + 1) : undefined,
    rest: m[3]!,
  };
}
