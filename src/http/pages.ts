/**
 * The small HTML pages a browser sees during linking. Every value is escaped; pages carry no script and a strict
 * Content-Security-Policy, and are never cached (they follow single-use URLs).
 */
import type { FastifyReply } from 'fastify';

export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export interface Page {
  title: string;
  /** Plain-text paragraphs (escaped). */
  paragraphs: string[];
  /** A call to action, e.g. back to Slack. */
  link?: { href: string; label: string };
  tone: 'success' | 'problem';
}

export function renderPage(page: Page): string {
  const accent = page.tone === 'success' ? '#2e7d32' : '#b3261e';
  const body = page.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n    ');
  const link = page.link
    ? `<p><a class="button" href="${escapeHtml(page.link.href)}">${escapeHtml(page.link.label)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">
  <title>${escapeHtml(page.title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 4rem auto; padding: 0 1rem; color: #1d1c1d; }
    h1 { font-size: 1.4rem; color: ${accent}; }
    a.button { display: inline-block; padding: .6rem 1rem; background: #4a154b; color: #fff; border-radius: .3rem; text-decoration: none; }
  </style>
</head>
<body>
  <main>
    <h1>${escapeHtml(page.title)}</h1>
    ${body}
    ${link}
  </main>
</body>
</html>
`;
}

export function sendPage(reply: FastifyReply, status: number, page: Page): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .send(renderPage(page));
}

/** A deep link back into Slack: the app's Home tab when the app id is known, else the workspace. */
export function slackDeepLink(teamId: string, appId?: string): string {
  return appId
    ? `slack://app?team=${encodeURIComponent(teamId)}&id=${encodeURIComponent(appId)}&tab=home`
    : `slack://open?team=${encodeURIComponent(teamId)}`;
}
