/** A demo step that did not end the way a person in Slack would expect; the message says which and why. */
export class DemoFailure extends Error {
  readonly code = 'demo_failed';
  constructor(message: string) {
    super(message);
    this.name = 'DemoFailure';
  }
}
