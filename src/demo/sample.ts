/**
 * The documentation's sample Audience Insights request, as the demo asks it through the modal: account 123,
 * members in New York (urn:li:geo:105080838) whose interface is in English (en_US) with any of three skills,
 * broken down by job function, top 5. The follow-up breaks the shared answer down by seniority in its thread.
 */
export const SAMPLE_QUERY = {
  member: 'maya-chen',
  account: 'urn:li:sponsoredAccount:123',
  /** Include groups, AND-ed; the values of a group are OR-ed. */
  include: [
    { facet: 'locations', values: ['urn:li:geo:105080838'] },
    { facet: 'interfaceLocales', values: ['urn:li:locale:en_US'] },
    { facet: 'skills', values: ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] },
  ],
  groupBy: 'urn:li:adTargetingFacet:jobFunctions',
  maxReturnCount: 5,
  /** The “Break down by…” choice in the thread, matched on the menu's label. */
  followUp: /seniorit/i,
} as const;
