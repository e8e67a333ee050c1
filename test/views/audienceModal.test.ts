import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AudienceQuerySpec } from '../../src/db/types.js';
import { GROUP_BY_FACETS } from '../../src/linkedin/facets.js';
import type { Problem } from '../../src/linkedin/targeting.js';
import {
  type AudienceModalContext,
  type AudienceModalState,
  buildAudienceModal,
  decodeModalMetadata,
  draftProblems,
  emptyForm,
  encodeModalMetadata,
  facetFromValuesActionId,
  formFromSpec,
  MAX_INCLUDE_GROUPS,
  ModalMetadataError,
  type ModalProblem,
  modalErrors,
  parseAudienceModal,
  readModalForm,
  toQuerySpec,
  withExcludeRow,
  withIncludeGroup,
} from '../../src/slack/views/audienceModal.js';
import { modalViolations } from '../blocks/limits.js';
import { choose, initialStateValues } from './simulate.js';

type Json = Record<string, any>;

const ACCOUNT = 'urn:li:sponsoredAccount:507404993';
const SENIORITIES = [
  { urn: 'urn:li:seniority:1', name: 'Unpaid' },
  { urn: 'urn:li:seniority:2', name: 'Training' },
  { urn: 'urn:li:seniority:3', name: 'Entry' },
  { urn: 'urn:li:seniority:6', name: 'Senior' },
  { urn: 'urn:li:seniority:7', name: 'Manager' },
];

const context = (overrides: Partial<AudienceModalContext> = {}): AudienceModalContext => ({
  mode: 'new',
  channelId: 'C0123',
  accounts: [
    { urn: 'urn:li:sponsoredAccount:1', name: 'Sandbox Ads', role: 'VIEWER' },
    { urn: ACCOUNT, name: 'Acme Ads', role: 'CAMPAIGN_MANAGER' },
  ],
  facetOptions: { seniorities: SENIORITIES },
  adSegments: [{ urn: 'urn:li:adSegment:10011234', name: 'Website visitors – 90d' }],
  ...overrides,
});

const blockById = (view: { blocks: unknown[] }, id: string) =>
  (view.blocks as Json[]).find((b) => b.block_id === id) as Json | undefined;

describe('buildAudienceModal: a new query', () => {
  const view = buildAudienceModal({ ...context(), ...emptyForm(), accountUrn: ACCOUNT });

  it('is within Block Kit limits', () => {
    expect(modalViolations(view)).toEqual([]);
  });

  it('has the callback id, short title and submit', () => {
    expect(view.callback_id).toBe('audience_query');
    expect(view.title.text).toBe('Audience insights');
    expect(view.submit?.text).toBe('Get breakdown');
    expect(view.close?.text).toBe('Cancel');
  });

  it('asks for the ad account as "Name (ROLE)", default pre-selected, dispatching on change', () => {
    const account = blockById(view, 'account')!;
    expect(account.dispatch_action).toBe(true);
    expect(account.element.action_id).toBe('account_select');
    expect(account.element.options.map((o: Json) => o.text.text)).toEqual([
      'Sandbox Ads (VIEWER)',
      'Acme Ads (CAMPAIGN_MANAGER)',
    ]);
    expect(account.element.initial_option.value).toBe(ACCOUNT);
  });

  it('starts the audience with a required location typeahead', () => {
    const facet = blockById(view, 'inc:0:0:facet')!;
    expect(facet.dispatch_action).toBe(true);
    expect(facet.element.initial_option.value).toBe('locations');
    const values = blockById(view, 'inc:0:0:values:locations')!;
    expect(values.optional).toBe(false);
    expect(values.element).toMatchObject({
      type: 'multi_external_select',
      action_id: 'facet_values:locations',
      min_query_length: 1,
    });
    expect(facetFromValuesActionId(values.element.action_id)).toBe('locations');
  });

  it('offers "Add a group" and an optional exclusion', () => {
    expect(blockById(view, 'include_actions')!.elements[0].action_id).toBe('add_include_group');
    expect(blockById(view, 'exc:0:facet')!.optional).toBe(true);
    expect(blockById(view, 'exclude_actions')!.elements[0].action_id).toBe('add_exclude_row');
  });

  it('asks what to break down by (15 facets), the order and how many (1–100, default 5)', () => {
    const groupBy = blockById(view, 'group_by')!;
    expect(groupBy.element.options.map((o: Json) => o.text.text)).toEqual(GROUP_BY_FACETS.map((f) => f.label));
    expect(groupBy.element.initial_option.value).toBe('urn:li:adTargetingFacet:jobFunctions');
    const order = blockById(view, 'order_by')!;
    expect(order.element.options.map((o: Json) => o.value)).toEqual(['AUDIENCE_PERCENTAGE', 'HIERARCHICAL']);
    expect(order.element.options[1].description.text).toBe(
      'For seniority, experience, company size and growth rate only',
    );
    expect(blockById(view, 'max_return_count')!.element).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: false,
      min_value: '1',
      max_value: '100',
      initial_value: '5',
    });
  });

  it('flags HIERARCHICAL for exactly the facets marked hierarchical', () => {
    expect(GROUP_BY_FACETS.filter((f) => f.hierarchical).map((f) => f.name)).toEqual([
      'seniorities',
      'yearsOfExperienceRanges',
      'staffCountRanges',
      'growthRate',
    ]);
  });

  it('keeps channel, mode and layout in compact private_metadata', () => {
    expect(view.private_metadata).toBe('{"v":1,"m":"new","c":"C0123","g":[1],"x":1}');
    expect(decodeModalMetadata(view.private_metadata)).toEqual({
      mode: 'new',
      channelId: 'C0123',
      includeRows: [1],
      excludeRows: 1,
    });
  });
});

describe('buildAudienceModal: value pickers', () => {
  const withRow = (facet: string, values: Array<{ urn: string; name: string }> = [], ctx = context()) =>
    buildAudienceModal({
      ...ctx,
      ...emptyForm(),
      include: [
        [{ facet: 'locations', values: [{ urn: 'urn:li:geo:103644278', name: 'United States' }] }],
        [{ facet, values }],
      ],
    });

  it('uses a static multi-select for small facets with a list, initial options taken from it', () => {
    const view = withRow('seniorities', [{ urn: 'urn:li:seniority:6', name: 'urn:li:seniority:6' }]);
    const values = blockById(view, 'inc:1:0:values:seniorities')!;
    expect(values.element.type).toBe('multi_static_select');
    expect(values.element.options.map((o: Json) => o.text.text)).toEqual(SENIORITIES.map((s) => s.name));
    expect(values.element.initial_options).toEqual([values.element.options[3]]);
    expect(modalViolations(view)).toEqual([]);
  });

  it('uses a typeahead for large facets and for small ones without a list', () => {
    expect(blockById(withRow('skills'), 'inc:1:0:values:skills')!.element.type).toBe('multi_external_select');
    expect(blockById(withRow('jobFunctions'), 'inc:1:0:values:jobFunctions')!.element.type).toBe(
      'multi_external_select',
    );
  });

  it('lists at most 100 options, keeping the chosen ones', () => {
    const many = Array.from({ length: 240 }, (_, i) => ({ urn: `urn:li:title:${i}`, name: `Title ${i}` }));
    const view = withRow(
      'titles',
      [{ urn: 'urn:li:title:230', name: 'Title 230' }],
      context({ facetOptions: { titles: many } }),
    );
    const values = blockById(view, 'inc:1:0:values:titles')!;
    expect(values.element.options).toHaveLength(100);
    expect(values.element.options.map((o: Json) => o.value)).toContain('urn:li:title:230');
    expect(values.hint.text).toBe('Showing 100 of 240.');
    expect(modalViolations(view)).toEqual([]);
  });

  it('lists the account’s matched audiences, or says there are none', () => {
    const view = withRow('audienceMatchingSegments');
    const values = blockById(view, 'inc:1:0:values:audienceMatchingSegments:1')!;
    expect(values.element.options.map((o: Json) => o.text.text)).toEqual(['Website visitors – 90d']);
    const none = withRow('audienceMatchingSegments', [], context({ adSegments: [] }));
    const blocks = none.blocks as Json[];
    const at = blocks.findIndex((b) => b.block_id === 'inc:1:0:facet');
    expect(blocks[at + 1]).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'This ad account has no matched audiences yet.' }],
    });
  });

  it('caps many ad accounts at 100 options and cuts long names so the role shows', () => {
    const accounts = Array.from({ length: 130 }, (_, i) => ({
      urn: `urn:li:sponsoredAccount:${9000 + i}`,
      name: `A very long advertising account name for the EMEA region, brand number ${i}`,
      role: 'ACCOUNT_BILLING_ADMIN',
    }));
    const view = buildAudienceModal({ ...context({ accounts }), ...emptyForm(), accountUrn: accounts[120]!.urn });
    const account = blockById(view, 'account')!;
    expect(account.element.options).toHaveLength(100);
    expect(account.element.initial_option.value).toBe(accounts[120]!.urn);
    expect(account.element.initial_option.text.text).toMatch(/… \(ACCOUNT_BILLING_ADMIN\)$/);
    expect(modalViolations(view)).toEqual([]);
  });

  it('explains instead of asking when the member has no ad account', () => {
    const view = buildAudienceModal({ ...context({ accounts: [] }), ...emptyForm() });
    expect(view.submit).toBeUndefined();
    expect((view.blocks as Json[]).map((b) => b.type)).toEqual(['section']);
    expect((view.blocks[0] as Json).text.text).toContain('You have no LinkedIn ad account to use.');
    expect(modalViolations(view)).toEqual([]);
  });
});

const SPEC: AudienceQuerySpec = {
  accountUrn: ACCOUNT,
  criteria: {
    include: {
      and: [
        { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278', 'urn:li:geo:101165590'] } },
        {
          or: {
            'urn:li:adTargetingFacet:skills': ['urn:li:skill:17', 'urn:li:skill:236'],
            'urn:li:adTargetingFacet:titles': ['urn:li:title:9'],
          },
        },
        { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:6', 'urn:li:seniority:7'] } },
        { or: { 'urn:li:adTargetingFacet:audienceMatchingSegments': ['urn:li:adSegment:10011234'] } },
      ],
    },
    exclude: {
      or: {
        'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:1'],
        'urn:li:adTargetingFacet:employers': ['urn:li:organization:1337'],
      },
    },
  },
  groupBy: 'urn:li:adTargetingFacet:staffCountRanges',
  orderBy: 'HIERARCHICAL',
  maxReturnCount: 25,
};

const NAMES: Record<string, string> = {
  'urn:li:geo:103644278': 'United States',
  'urn:li:geo:101165590': 'United Kingdom',
  'urn:li:skill:17': 'Python',
  'urn:li:skill:236': 'Java',
  'urn:li:title:9': 'Software Engineer',
  'urn:li:seniority:6': 'Senior',
  'urn:li:seniority:7': 'Manager',
  'urn:li:adSegment:10011234': 'Website visitors – 90d',
  'urn:li:seniority:1': 'Unpaid',
  'urn:li:organization:1337': 'Initech',
};

describe('pre-fill round trip', () => {
  it('builds from a spec and parses the untouched view back to the same spec and names', () => {
    const state: AudienceModalState = {
      ...context({ mode: 'edit', baseQueryId: 'q_42' }),
      ...formFromSpec(SPEC, NAMES),
    };
    const view = buildAudienceModal(state);
    expect(modalViolations(view)).toEqual([]);
    expect(view.title.text).toBe('Edit audience');
    expect(decodeModalMetadata(view.private_metadata)).toEqual({
      mode: 'edit',
      channelId: 'C0123',
      baseQueryId: 'q_42',
      includeRows: [1, 2, 1, 1],
      excludeRows: 2,
    });
    // Typeahead initial options carry the names; static lists show their own.
    expect(blockById(view, 'inc:1:0:values:skills')!.element.initial_options.map((o: Json) => o.text.text)).toEqual([
      'Python',
      'Java',
    ]);

    const parsed = parseAudienceModal(initialStateValues(view), view.private_metadata);
    expect(parsed.spec).toEqual(SPEC);
    expect(toQuerySpec(parsed.spec)).toEqual(SPEC);
    expect(parsed.names).toEqual(NAMES);
    expect(parsed.meta.baseQueryId).toBe('q_42');
  });

  it('keeps the base breakdown facet when comparing', () => {
    const view = buildAudienceModal({
      ...context({ mode: 'compare', baseQueryId: 'q_42', fixedGroupBy: SPEC.groupBy }),
      ...formFromSpec(SPEC, NAMES),
    });
    expect(view.title.text).toBe('Compare audiences');
    expect(view.submit?.text).toBe('Compare');
    expect(blockById(view, 'group_by')).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain('*Broken down by:* Company Size (as the first audience)');
    let values = initialStateValues(view);
    values = choose(values, 'inc:0:0:values:locations', 'facet_values:locations', [
      ['Germany', 'urn:li:geo:101282230'],
    ]);
    const parsed = parseAudienceModal(values, view.private_metadata);
    expect(parsed.spec.groupBy).toBe(SPEC.groupBy);
    expect(parsed.spec.criteria.include.and[0]).toEqual({
      or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:101282230'] },
    });
    expect(parsed.names['urn:li:geo:101282230']).toBe('Germany');
  });

  it('reads what a person chose in a new modal', () => {
    const view = buildAudienceModal({ ...context(), ...emptyForm() });
    let values = initialStateValues(view);
    values = choose(values, 'inc:0:0:values:locations', 'facet_values:locations', [
      ['United States', 'urn:li:geo:103644278'],
    ]);
    values = choose(values, 'group_by', 'group_by_select', [['Member Skills', 'urn:li:adTargetingFacet:skills']]);
    values = { ...values, max_return_count: { max_return_count_input: { type: 'number_input', value: '12' } } };
    const parsed = parseAudienceModal(values, view.private_metadata);
    expect(parsed.spec).toEqual({
      accountUrn: 'urn:li:sponsoredAccount:1',
      criteria: { include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } }] } },
      groupBy: 'urn:li:adTargetingFacet:skills',
      orderBy: 'AUDIENCE_PERCENTAGE',
      maxReturnCount: 12,
    });
    expect(draftProblems(parsed.spec)).toEqual([]);
  });
});

describe('views.update steps', () => {
  it('adds a group and keeps what was chosen', () => {
    const first = buildAudienceModal({ ...context(), ...emptyForm() });
    const values = choose(initialStateValues(first), 'inc:0:0:values:locations', 'facet_values:locations', [
      ['United States', 'urn:li:geo:103644278'],
    ]);
    const form = withIncludeGroup(readModalForm(values, decodeModalMetadata(first.private_metadata)));
    const next = buildAudienceModal({ ...context(), ...form });
    expect(decodeModalMetadata(next.private_metadata).includeRows).toEqual([1, 1]);
    expect(blockById(next, 'inc:0:0:values:locations')!.element.initial_options).toEqual([
      { text: { type: 'plain_text', text: 'United States', emoji: true }, value: 'urn:li:geo:103644278' },
    ]);
    const added = blockById(next, 'inc:1:0:facet')!;
    expect(added.element.initial_option).toBeUndefined();
    expect(added.label.text).toBe('And members with');
    expect((next.blocks as Json[]).some((b) => b.block_id?.startsWith('inc:1:0:values'))).toBe(false);
    expect(modalViolations(next)).toEqual([]);
  });

  it('stops offering "Add a group" at the cap and stays within limits with the most rows', () => {
    let form = emptyForm();
    for (let i = 0; i < MAX_INCLUDE_GROUPS + 3; i++) form = withIncludeGroup(form);
    for (let i = 0; i < 8; i++) form = withExcludeRow(form);
    expect(form.include).toHaveLength(MAX_INCLUDE_GROUPS);
    const wide = {
      ...form,
      include: form.include.map(() =>
        Array.from({ length: 4 }, () => ({ facet: 'skills', values: [{ urn: 'urn:li:skill:1', name: 'Python' }] })),
      ),
      exclude: form.exclude.map(() => ({ facet: 'seniorities', values: [SENIORITIES[0]!] })),
    };
    const view = buildAudienceModal({ ...context(), ...wide });
    expect(modalViolations(view)).toEqual([]);
    expect(blockById(view, 'include_actions')).toBeUndefined();
    expect(blockById(view, 'exclude_actions')).toBeUndefined();
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('drops the old values when a row’s facet changes, and gives the new facet a fresh block', () => {
    const view = buildAudienceModal({
      ...context(),
      ...emptyForm(),
      include: [
        [{ facet: 'locations', values: [{ urn: 'urn:li:geo:103644278', name: 'United States' }] }],
        [{ facet: 'skills', values: [{ urn: 'urn:li:skill:17', name: 'Python' }] }],
      ],
    });
    const values = choose(initialStateValues(view), 'inc:1:0:facet', 'include_facet', [['Job titles', 'titles']]);
    const form = readModalForm(values, decodeModalMetadata(view.private_metadata));
    expect(form.include[1]).toEqual([{ facet: 'titles', values: [] }]);
    expect(form.include[0]![0]!.values).toEqual([{ urn: 'urn:li:geo:103644278', name: 'United States' }]);
    const next = buildAudienceModal({ ...context(), ...form });
    expect(blockById(next, 'inc:1:0:values:titles')!.element.action_id).toBe('facet_values:titles');
    expect(blockById(next, 'inc:1:0:values:skills')).toBeUndefined();
  });

  it('gives matched-audience values a block per account, so switching accounts resets them', () => {
    const include = [[{ facet: 'audienceMatchingSegments', values: [] }]];
    const a = buildAudienceModal({ ...context(), ...emptyForm(), include, accountUrn: 'urn:li:sponsoredAccount:1' });
    const b = buildAudienceModal({ ...context(), ...emptyForm(), include, accountUrn: ACCOUNT });
    expect(blockById(a, 'inc:0:0:values:audienceMatchingSegments:1')).toBeDefined();
    expect(blockById(b, 'inc:0:0:values:audienceMatchingSegments:507404993')).toBeDefined();
  });
});

describe('validation problems → input block errors', () => {
  const view = buildAudienceModal({ ...context(), ...formFromSpec(SPEC, NAMES) });

  it('maps each field to its input block', () => {
    expect(
      modalErrors(
        [
          { code: 'a', field: 'account', message: 'Pick an account you have a role on.' },
          { code: 'b', field: 'include', message: 'Add a location.' },
          { code: 'c', field: 'include[1]', message: 'Seniorities cannot be AND-ed with job titles.' },
          { code: 'd', field: 'exclude', message: 'Too many exclusions.' },
          { code: 'e', field: 'groupBy', message: 'Choose a facet.' },
          { code: 'f', field: 'orderBy', message: 'Hierarchical order is only for …' },
          { code: 'g', field: 'maxReturnCount', message: 'From 1 to 100.' },
        ],
        view.blocks,
      ),
    ).toEqual({
      account: 'Pick an account you have a role on.',
      'inc:0:0:values:locations': 'Add a location.',
      'inc:1:0:values:skills': 'Seniorities cannot be AND-ed with job titles.',
      'exc:0:values:seniorities': 'Too many exclusions.',
      group_by: 'Choose a facet.',
      order_by: 'Hierarchical order is only for …',
      max_return_count: 'From 1 to 100.',
    });
  });

  it('puts a facet conflict on the row of the facet it is about', () => {
    expect(
      modalErrors(
        [
          {
            code: 'seniorities_with_titles',
            field: 'include',
            message: 'Seniorities cannot be AND-ed with job titles.',
          },
          { code: 'not_excludable', field: 'exclude', message: 'Genders cannot be excluded.' },
        ],
        view.blocks,
      ),
    ).toEqual({
      'inc:2:0:values:seniorities': 'Seniorities cannot be AND-ed with job titles.',
      'exc:0:values:seniorities': 'Genders cannot be excluded.',
    });
  });

  it('joins problems on the same block and puts unplaceable ones on the first include row', () => {
    const errors = modalErrors(
      [
        { code: 'a', field: 'include', message: 'Add a location.' },
        { code: 'b', field: 'criteria', message: 'The audience is too small.' },
      ],
      view.blocks,
    );
    expect(errors).toEqual({ 'inc:0:0:values:locations': 'Add a location. The audience is too small.' });
  });

  it('only ever names input blocks (groupBy has none in compare mode)', () => {
    const compare = buildAudienceModal({
      ...context({ mode: 'compare', fixedGroupBy: SPEC.groupBy }),
      ...formFromSpec(SPEC, NAMES),
    });
    const errors = modalErrors(
      [{ code: 'e', field: 'groupBy', message: 'Same facet as the first audience.' }],
      compare.blocks,
    );
    const inputIds = (compare.blocks as Json[]).filter((b) => b.type === 'input').map((b) => b.block_id);
    for (const id of Object.keys(errors)) expect(inputIds).toContain(id);
  });

  it('accepts the targeting validator’s problems as they are', () => {
    expectTypeOf<Problem>().toExtend<ModalProblem>();
  });

  it('reports what is missing in a draft', () => {
    const view = buildAudienceModal({ ...context(), ...emptyForm() });
    const values = {
      ...initialStateValues(view),
      max_return_count: { max_return_count_input: { type: 'number_input', value: '' } },
    };
    const parsed = parseAudienceModal(values, view.private_metadata);
    expect(draftProblems(parsed.spec).map((p) => p.field)).toEqual(['include', 'maxReturnCount']);
    expect(toQuerySpec(parsed.spec)).toBeUndefined();
    expect(Object.keys(modalErrors(draftProblems(parsed.spec), view.blocks))).toEqual([
      'inc:0:0:values:locations',
      'max_return_count',
    ]);
  });
});

describe('private_metadata', () => {
  it('refuses what is not the modal’s', () => {
    expect(() => decodeModalMetadata('')).toThrow(ModalMetadataError);
    expect(() => decodeModalMetadata('{"v":2}')).toThrow(ModalMetadataError);
    expect(() => decodeModalMetadata('{"v":1,"m":"new","g":[-1],"x":0}')).toThrow(ModalMetadataError);
    expect(() => decodeModalMetadata('null')).toThrow(ModalMetadataError);
  });

  it('round-trips extra fields and refuses to exceed 3000 characters', () => {
    const meta = {
      mode: 'new' as const,
      includeRows: [1],
      excludeRows: 1,
      extra: { responseUrl: 'http://127.0.0.1/r/1' },
    };
    expect(decodeModalMetadata(encodeModalMetadata(meta))).toEqual(meta);
    expect(() => encodeModalMetadata({ ...meta, extra: { big: 'x'.repeat(3000) } })).toThrow(ModalMetadataError);
  });
});
