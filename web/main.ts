import { Workbox } from 'workbox-window';
import './app-shell.js';

// The service worker both serves the app offline and stores every scan,
// so the app registers it before anything else happens.
if ('serviceWorker' in navigator) {
  const wb = new Workbox('/sw.js', { type: 'classic' });
  // A new version waits instead of taking over mid-shift; the shell asks staff, and reloads only when they agree.
  wb.addEventListener('waiting', () => window.dispatchEvent(new Event('oc-update-ready')));
  window.addEventListener('oc-apply-update', () => {
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  });
  void wb.register();
}
