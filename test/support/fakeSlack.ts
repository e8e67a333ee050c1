/** The recording fake Slack Web API lives in src/devtools (the demo uses it too); tests import it from here. */
export * from '../../src/devtools/fakeSlack.js';
