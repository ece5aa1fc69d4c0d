import type { ServiceInfo, SymbolMatch, Tick } from '../protocol/types.js';
import type { HistoryGap } from '../protocol/messages.js';

export function formatServices(list: ServiceInfo[]): string {
  if (list.length === 0) return 'no services running';
  const rows = list.map((s) => [s.name, s.state, String(s.restarts), s.lastError ?? '']);
  return table(['NAME', 'STATE', 'RESTARTS', 'LAST ERROR'], rows);
}

export function formatSearch(list: SymbolMatch[]): string {
  if (list.length === 0) return 'no matches';
  return table(['FQME', 'DESCRIPTION', 'SCORE'], list.map((m) => [m.fqme, m.description, String(m.score)]));
}

export function formatTick(fqme: string, t: Tick): string {
  return `${new Date(t.time).toISOString()} ${fqme} ${t.type.padEnd(5)} ${t.price} x ${t.size}`;
}

const isoSec = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');

export function formatGaps(fqme: string, gaps: HistoryGap[]): string {
  if (gaps.length === 0) return `no recorded gaps in the stored history of ${fqme}`;
  const rows = gaps.map((g) => [g.fqme, `${g.timeframe}s`, isoSec(g.start), isoSec(g.end), String(g.bars), String(g.attempts), g.reason]);
  return table(['FQME', 'TF', 'FROM', 'TO', 'BARS', 'TRIES', 'REASON'], rows);
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
