/**
 * Small fixed taxonomies, with LinkedIn's URNs (reference §5). Display names for years of experience, staff counts,
 * growth rates and ages are the commonly used labels; LinkedIn's exact wording is not published.
 */

export interface NamedEntity {
  urn: string;
  name: string;
}

export const JOB_FUNCTIONS: readonly NamedEntity[] = [
  'Accounting',
  'Administrative',
  'Arts and Design',
  'Business Development',
  'Community and Social Services',
  'Consulting',
  'Education',
  'Engineering',
  'Entrepreneurship',
  'Finance',
  'Healthcare Services',
  'Human Resources',
  'Information Technology',
  'Legal',
  'Marketing',
  'Media and Communication',
  'Military and Protective Services',
  'Operations',
  'Product Management',
  'Program and Project Management',
  'Purchasing',
  'Quality Assurance',
  'Real Estate',
  'Research',
  'Sales',
  'Support',
].map((name, i) => ({ urn: `urn:li:function:${i + 1}`, name }));

export const SENIORITIES: readonly NamedEntity[] = [
  'Unpaid',
  'Training',
  'Entry',
  'Senior',
  'Manager',
  'Director',
  'VP',
  'CXO',
  'Partner',
  'Owner',
].map((name, i) => ({ urn: `urn:li:seniority:${i + 1}`, name }));

export const INT_MAX = 2147483647;

export const STAFF_COUNT_RANGES: readonly NamedEntity[] = (
  [
    [1, 1, 'Myself only'],
    [2, 10, '2-10 employees'],
    [11, 50, '11-50 employees'],
    [51, 200, '51-200 employees'],
    [201, 500, '201-500 employees'],
    [501, 1000, '501-1,000 employees'],
    [1001, 5000, '1,001-5,000 employees'],
    [5001, 10000, '5,001-10,000 employees'],
    [10001, INT_MAX, '10,001+ employees'],
  ] as const
).map(([min, max, name]) => ({ urn: `urn:li:staffCountRange:(${min},${max})`, name }));

export const GROWTH_RATES: readonly NamedEntity[] = (
  [
    [-INT_MAX, 0, 'Declining (below 0%)'],
    [0, 3, '0% to 3%'],
    [3, 10, '3% to 10%'],
    [10, 20, '10% to 20%'],
    [20, INT_MAX, 'More than 20%'],
  ] as const
).map(([min, max, name]) => ({ urn: `urn:li:growthRate:(${min},${max})`, name }));

export const YEARS_OF_EXPERIENCE: readonly NamedEntity[] = Array.from({ length: 12 }, (_, i) => ({
  urn: `urn:li:yearsOfExperience:${i + 1}`,
  name: i === 0 ? '1 year' : i === 11 ? '12+ years' : `${i + 1} years`,
}));

export const GENDERS: readonly NamedEntity[] = [
  { urn: 'urn:li:gender:FEMALE', name: 'Female' },
  { urn: 'urn:li:gender:MALE', name: 'Male' },
];

export const AGE_RANGES: readonly NamedEntity[] = (
  [
    [18, 24, '18 to 24'],
    [25, 34, '25 to 34'],
    [35, 54, '35 to 54'],
    [55, INT_MAX, '55+'],
  ] as const
).map(([min, max, name]) => ({ urn: `urn:li:ageRange:(${min},${max})`, name }));

/** LinkedIn interface locales (3P list in reference §5, plus zh_CN and th_TH). */
export const LOCALES: readonly NamedEntity[] = (
  [
    ['ar_AE', 'Arabic'],
    ['cs_CZ', 'Czech'],
    ['da_DK', 'Danish'],
    ['de_DE', 'German'],
    ['en_US', 'English'],
    ['es_ES', 'Spanish'],
    ['fr_FR', 'French'],
    ['hi_IN', 'Hindi'],
    ['in_ID', 'Indonesian'],
    ['it_IT', 'Italian'],
    ['ja_JP', 'Japanese'],
    ['ko_KR', 'Korean'],
    ['ms_MY', 'Malay'],
    ['nl_NL', 'Dutch'],
    ['no_NO', 'Norwegian'],
    ['pl_PL', 'Polish'],
    ['pt_BR', 'Portuguese'],
    ['ro_RO', 'Romanian'],
    ['ru_RU', 'Russian'],
    ['sv_SE', 'Swedish'],
    ['th_TH', 'Thai'],
    ['tr_TR', 'Turkish'],
    ['zh_CN', 'Chinese (Simplified)'],
  ] as const
).map(([code, name]) => ({ urn: `urn:li:locale:${code}`, name }));
