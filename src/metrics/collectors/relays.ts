// relays → one series per relay and health figure of GFI's "LanGuard Agent Communications Workflow and
// Diagnostic" (relay health errors): up, last ping, cache folder and its free space, HTTP server
// (Apache) errors, clients served.
import { bit, defineCollector, SampleSet, type Family } from '../collector.js';
import { L, M } from '../names.js';

const relay = (name: Family['name'], help: string): Family => ({ name, type: 'gauge', help, labels: [L.relay] });

export const relaysCollector = defineCollector({
  name: 'relays',
  families: [
    relay(M.relayUp, '1 when the relay is online.'),
    relay(M.relayLastPing, 'When the server last pinged the relay (it pings every 20 minutes), Unix seconds; 0 = never.'),
    relay(M.relayCacheFreeBytes, 'Free space on the drive of the relay cache folder, bytes (warning under 2 GiB).'),
    relay(M.relayCacheFolderValid, '1 when the relay cache folder exists and is usable.'),
    relay(M.relayHttpServerErrors, 'Errors of the relay HTTP server (Apache) as the relay reports them.'),
    relay(M.relayClients, 'Clients the relay serves.'),
  ],
  samples(rows) {
    const s = new SampleSet();
    for (const r of rows) {
      const labels = { relay: r.Name };
      // 0 rather than no series for a relay never pinged: "older than 20 minutes" then holds for it too.
      s.set(M.relayUp, labels, bit(r.Online))
        .set(M.relayLastPing, labels, r.LastPing ? r.LastPing.getTime() / 1000 : 0)
        .set(M.relayCacheFreeBytes, labels, r.CacheFreeBytes)
        .set(M.relayCacheFolderValid, labels, bit(r.CacheFolderValid))
        .set(M.relayHttpServerErrors, labels, r.HttpServerErrors)
        .set(M.relayClients, labels, r.ClientsServed);
    }
    return s.list();
  },
});
