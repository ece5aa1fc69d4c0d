import { useEffect, useState } from 'react';
import type { SymbolMatch } from '../../../core/protocol/types.js';
import { fuzzyMatches, rankWithRecents, type SearchRow } from '../../lib/recents.js';
import { useConnection } from '../../stores/connection.js';
import { useSession } from '../../stores/session.js';

/** Typing faster than this does not query the host for every key. */
export const SEARCH_DEBOUNCE_MS = 80;
const LIMIT = 20;

/**
 * Results for `pattern` while the search is open: the host's fuzzy matches (every loaded backend's
 * symbols) with recent symbols first. Replies to superseded patterns are dropped.
 */
export function useSymbolSearch(pattern: string, open: boolean): { rows: SearchRow[]; error: string | null } {
  const client = useConnection((s) => s.client);
  const recents = useSession((s) => s.recents);
  const [answer, setAnswer] = useState<{ pattern: string; matches: SymbolMatch[] }>({ pattern: '', matches: [] });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || !client) return;
    let current = true;
    const timer = setTimeout(() => {
      client.call('symbols.search', { pattern: pattern.trim().slice(0, 64), limit: LIMIT }).then(
        (m) => {
          if (!current) return;
          setAnswer({ pattern, matches: m });
          setError(null);
        },
        (e: unknown) => {
          if (current) setError(e instanceof Error ? e.message : String(e));
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, pattern, open]);

  // Until the answer for this pattern arrives, the previous one narrowed to what still matches: the list
  // only shrinks while typing, never shows symbols the pattern excludes.
  const matches =
    answer.pattern === pattern ? answer.matches : answer.matches.filter((m) => fuzzyMatches(pattern, m.fqme) || fuzzyMatches(pattern, m.description));
  return { rows: open ? rankWithRecents(pattern, matches, recents, LIMIT) : [], error };
}
