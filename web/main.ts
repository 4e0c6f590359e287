import { Workbox } from 'workbox-window';
import './app-shell.js';

// The service worker both serves the app offline and stores every scan,
// so the app registers it before anything else happens.
if ('serviceWorker' in navigator) {
  const wb = new Workbox('/sw.js', { type: 'classic' });
  void wb.register();
}
