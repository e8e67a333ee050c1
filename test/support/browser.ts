/** The in-process browser lives in src/devtools so the demo can use it too. */
export { type Browser, createBrowser } from '../../src/devtools/browser.js';
