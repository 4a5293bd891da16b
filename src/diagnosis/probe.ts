// `gatewatch diagnose NAME --probe`: a live TLS check of the agent's current gateway, made from where the
// command runs (never from the agent, never part of the SQL). It opens a TCP connection and a TLS
// handshake with node:tls, as blackbox_exporter's gateway_tls module does (deploy/blackbox/blackbox.yml):
// the certificate is read, not verified (rejectUnauthorized: false), so an expired or self-signed one
// still reports its dates. Name resolution, connect and handshake all happen within one timeout.
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { defaultConfig } from '../alerts/config.js';
import { wrap } from '../text.js';

export const PROBE_TIMEOUT_MS = { default: 5000, min: 100, max: 60_000 } as const;

/** Days before expiry from which the text highlights the certificate: the alert rules' warning. */
export const CERT_WARN_DAYS = defaultConfig.probes.certificate.warnDays;

const DAY_MS = 86_400_000;

/** What `--json` carries as `probe`; `target` null when the agent has no current gateway to probe. */
export interface ProbeResult {
  /** host:port probed. */
  target: string | null;
  /** The TLS handshake completed within the timeout; null when nothing was probed. */
  reachable: boolean | null;
  /** Why not: the phase and error code (`connect ECONNREFUSED`, `dns ENOTFOUND`, `handshake timed out`). */
  error?: string;
  /** As negotiated, e.g. TLSv1.3. */
  tlsVersion?: string;
  /** Name resolution, connect and handshake, as blackbox_exporter's probe_duration_seconds counts them. */
  handshakeMs?: number;
  /** The earliest expiry among the certificates the gateway presents (ISO-8601), as probe_ssl_earliest_cert_expiry. */
  certificateNotAfter?: string;
  /** Whole days until then; negative once expired. */
  daysLeft?: number;
}

export const noGateway = (why = 'no current gateway to probe'): ProbeResult => ({ target: null, reachable: null, error: why });

/** `host:port`, with an IPv6 address in brackets. */
export const targetOf = (host: string, port: number) => (isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`);

/** The earliest notAfter of the presented chain (a self-signed certificate is its own issuer). */
function earliestExpiry(cert: DetailedPeerCertificate): Date | undefined {
  let earliest: Date | undefined;
  const seen = new Set<string>();
  for (let c: DetailedPeerCertificate | undefined = cert; c && c.valid_to && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    const t = new Date(c.valid_to);
    if (!Number.isNaN(t.getTime()) && (!earliest || t < earliest)) earliest = t;
  }
  return earliest;
}

/** Connects to host:port and completes a TLS handshake within timeoutMs; never throws. */
export function probeGateway(host: string, port: number, timeoutMs: number, now: () => number = Date.now): Promise<ProbeResult> {
  const target = targetOf(host, port);
  const started = performance.now();
  return new Promise((resolve) => {
    let phase: 'dns' | 'connect' | 'handshake' = isIP(host) ? 'connect' : 'dns';
    let socket: TLSSocket | undefined;
    let done = false;
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ target, reachable: false, error: `${phase} timed out` }), timeoutMs);
    try {
      socket = connect({
        host,
        port,
        // SNI only for a name (an address as server name is not allowed by RFC 6066).
        ...(isIP(host) ? {} : { servername: host }),
        // Read the certificate, do not judge it: its dates are the point, even when expired or self-signed.
        rejectUnauthorized: false,
      });
    } catch (e) {
      finish({ target, reachable: false, error: `connect ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    socket.once('lookup', () => (phase = 'connect'));
    socket.once('connect', () => (phase = 'handshake'));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      const dns = e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.syscall === 'getaddrinfo';
      finish({ target, reachable: false, error: `${dns ? 'dns' : phase} ${e.code ?? e.message}` });
    });
    socket.once('close', () => finish({ target, reachable: false, error: `${phase} closed by the peer` }));
    socket.once('secureConnect', () => {
      const handshakeMs = Math.round(performance.now() - started);
      const notAfter = earliestExpiry(socket!.getPeerCertificate(true));
      finish({
        target,
        reachable: true,
        tlsVersion: socket!.getProtocol() ?? undefined,
        handshakeMs,
        ...(notAfter ? { certificateNotAfter: notAfter.toISOString(), daysLeft: Math.floor((notAfter.getTime() - now()) / DAY_MS) } : {}),
      });
    });
  });
}

/** `expires 2027-03-01 (83 days)`, `expires 2026-12-07 (in under a day)`, `expired 2026-11-30 (6 days ago)`. */
function expiry(r: ProbeResult): string {
  if (r.certificateNotAfter === undefined || r.daysLeft === undefined) return 'no certificate presented';
  const date = r.certificateNotAfter.slice(0, 10);
  const d = r.daysLeft;
  if (d < 0) return `certificate expired ${date} (${-d - 1 ? `${-d - 1} day${-d - 1 === 1 ? '' : 's'} ago` : 'within the last day'})`;
  return `certificate expires ${date} (${d ? `${d} day${d === 1 ? '' : 's'}` : 'in under a day'})`;
}

/**
 * The `probe:` section of the text output: what was seen, then from where and how. On a terminal an
 * unreachable gateway or an expired certificate is red, one expiring within CERT_WARN_DAYS yellow.
 */
export function renderProbe(r: ProbeResult, timeoutMs: number, o: { width: number; colour: boolean }): string[] {
  const label = 'probe:   ';
  if (r.target === null) return wrap(r.error ?? 'no current gateway to probe', o.width, label);
  const text = r.reachable
    ? `${r.target} reachable, ${r.tlsVersion ?? 'TLS'}, handshake ${r.handshakeMs} ms, ${expiry(r)}`
    : `${r.target} unreachable: ${r.error} (within ${timeoutMs} ms)`;
  const how = 'from where this command runs, not from the agent; the certificate is read, not verified';
  const paint = !r.reachable || (r.daysLeft !== undefined && r.daysLeft < 0) ? '31' : r.daysLeft !== undefined && r.daysLeft < CERT_WARN_DAYS ? '33' : '';
  const sgr = (codes: string, line: string) => (o.colour && codes ? `\x1b[${codes}m${line}\x1b[0m` : line);
  // Wrapped first, then painted, so escapes never count toward the width.
  const lines = wrap(text, o.width, label).map((l, i) => (i === 0 ? label + sgr(paint, l.slice(label.length)) : sgr(paint, l)));
  return [...lines, ...wrap(how, o.width, ' '.repeat(label.length)).map((l) => sgr('2', l))];
}
