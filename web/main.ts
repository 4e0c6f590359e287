import { registerServiceWorker } from './controllers/app-update-controller.js';
import './app-shell.js';

registerServiceWorker();
