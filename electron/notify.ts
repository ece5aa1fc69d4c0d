import { Notification } from 'electron';
import type { Host } from '../core/host/host.js';

/** A fired alert is a desktop notification too: alerts run in emsd with or without a window on screen. */
export function notifyAlerts(host: Host, log: (line: string) => void): void {
  host.api.onBroadcast((event, data) => {
    if (event !== 'alert') return;
    const a = data as { fqme: string; price: string };
    try {
      if (!Notification?.isSupported?.()) return;
      new Notification({ title: `Alert: ${a.fqme}`, body: `${a.fqme} crossed ${a.price}` }).show();
    } catch (e) {
      log(`desktop notification failed: ${(e as Error).message}`);
    }
  });
}
