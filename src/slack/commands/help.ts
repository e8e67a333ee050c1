import { GROUP_BY_FACETS } from '../../linkedin/facets.js';
import { context, header, type KnownBlock, type SlackMessage, section } from '../blocks/kit.js';

export const QUICK_QUERY_EXAMPLE = 'by:jobFunctions location:"United States" skill:Python title:"Data Engineer" top:10';

/** `/audience help`: every sub-command, the query ones included. `extraLines` come from extensions. */
export function helpMessage(extraLines: readonly string[] = []): SlackMessage {
  const breakdowns = GROUP_BY_FACETS.map((f) => `\`${f.name}\``).join(', ');
  const blocks: KnownBlock[] = [
    header('LinkedIn Audience Insights in Slack'),
    section(
      [
        '*`/audience`* opens the audience explorer: pick an ad account, describe the audience (locations, job functions, skills, titles, companies…) and choose how to break it down. The result comes back as a chart and a table you can share.',
        `*\`/audience ${QUICK_QUERY_EXAMPLE}\`* runs a quick query without the form:`,
        `• \`by:\` the breakdown, one of ${breakdowns}`,
        '• `location:`, `skill:`, `title:` … filter the audience; quote values with spaces, repeat a filter for more values',
        '• `top:` how many segments to show; the query runs on your default ad account',
      ].join('\n'),
    ),
    section(
      [
        '*`/audience link`* links your LinkedIn account through a private one-time link.',
        '*`/audience status`* shows who you are linked as and your default ad account.',
        '*`/audience unlink`* removes the link and revokes the bot’s access at LinkedIn.',
        '*`/audience help`* shows this message.',
        ...extraLines,
      ].join('\n'),
    ),
    context(
      'The bot’s Home tab shows your link, lets you pick the default ad account, and lists your recent queries with a Re-run button.',
    ),
  ];
  return {
    text: `/audience opens the audience explorer; /audience ${QUICK_QUERY_EXAMPLE} runs a quick query; link, status, unlink and help manage your LinkedIn link.`,
    blocks,
  };
}
