// Renders the subset of Prometheus alert templates the rules use, as Prometheus (Go) would, so the
// generated promtool tests can state the exact annotations an alert fires with. Anything else in
// `{{ }}` is an error: add it here (with Go's formatting) before using it in a rule.

/** Go's `%.4g` for a value whose exponent is below 4 (what the humanize functions print). */
function g4(v: number): string {
  if (v !== 0 && (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-4)) throw new Error(`%.4g of ${v} is not emulated`);
  return String(Number(v.toPrecision(4)));
}

function scaled(v: number, base: number, prefixes: string[]): string {
  if (v === 0) return g4(v);
  if (Math.abs(v) < 1) throw new Error(`humanizing ${v} (below 1) is not emulated`);
  let prefix = '';
  for (const p of prefixes) {
    if (Math.abs(v) < base) break;
    prefix = p;
    v /= base;
  }
  return `${g4(v)}${prefix}`;
}

function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) < 1) throw new Error(`humanizeDuration of ${v} (below 1s) is not emulated`);
  const sign = v < 0 ? '-' : '';
  const total = Math.trunc(Math.abs(v));
  const [d, h, m, s] = [Math.trunc(total / 86400), Math.trunc(total / 3600) % 24, Math.trunc(total / 60) % 60, total % 60];
  if (d) return `${sign}${d}d ${h}h ${m}m ${s}s`;
  if (h) return `${sign}${h}h ${m}m ${s}s`;
  if (m) return `${sign}${m}m ${s}s`;
  return `${sign}${g4(Math.abs(v))}s`;
}

/** Go's `%v` of a float64 (text/template printing `$value`), for the plain numbers alerts report. */
function plain(v: number): string {
  if (Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-4)) throw new Error(`{{ $value }} of ${v} is not emulated`);
  return String(v);
}

/** Go's `printf "%.0f"`: the nearest whole number, an exact half to the even one (strconv's rounding). */
function printfWhole(v: number): string {
  if (!Number.isFinite(v) || v < 0 || v >= 1e15) throw new Error(`printf "%.0f" of ${v} is not emulated`);
  const floor = Math.floor(v);
  const rest = v - floor;
  return String(rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor);
}

const FUNCS: Record<string, (v: number) => string> = {
  humanize: (v) => scaled(v, 1000, ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']),
  humanize1024: (v) => scaled(v, 1024, ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']),
  humanizeDuration,
};

/** Expands `{{ $labels.x }}`, `{{ $value }}`, `{{ printf "%.0f" $value }}` and `{{ $value | humanize|humanize1024|humanizeDuration }}`. */
export function renderTemplate(text: string, labels: Record<string, string>, value: number): string {
  return text.replace(/\{\{(.*?)\}\}/g, (whole, inner: string) => {
    const label = /^\s*\$labels\.(\w+)\s*$/.exec(inner);
    if (label) {
      const v = labels[label[1]!];
      if (v === undefined) throw new Error(`template ${whole}: the alert has no label ${label[1]}`);
      return v;
    }
    if (/^\s*printf\s+"%\.0f"\s+\$value\s*$/.test(inner)) return printfWhole(value);
    const val = /^\s*\$value\s*(?:\|\s*(\w+)\s*)?$/.exec(inner);
    if (!val) throw new Error(`template ${whole} is not emulated (src/alerts/template.ts)`);
    if (!val[1]) return plain(value);
    const fn = FUNCS[val[1]];
    if (!fn) throw new Error(`template function ${val[1]} is not emulated (src/alerts/template.ts)`);
    return fn(value);
  });
}
