/** Block Kit limits live in src/devtools (the fake Slack and the demo use them too); tests import them from here. */
export * from '../../src/devtools/blockKitLimits.js';
