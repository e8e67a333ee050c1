/** The sandbox's consent page and its error page (LinkedIn shows HTML, not JSON, on the authorize screen). */
import type { DemoMember } from './accounts.js';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;background:#f4f2ee;margin:0;padding:32px;color:#1d2226}
main{max-width:560px;margin:auto;background:#fff;border-radius:8px;padding:24px 28px;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:20px;margin:0 0 4px}p.note{color:#666;font-size:13px;margin-top:0}ul{padding-left:20px}
label.member{display:block;border:1px solid #ddd;border-radius:6px;padding:10px 12px;margin:8px 0;cursor:pointer}
label.member small{display:block;color:#555}.buttons{display:flex;gap:12px;margin-top:18px}
button{border-radius:20px;padding:8px 20px;font-size:15px;border:1px solid #0a66c2;cursor:pointer}
button.allow{background:#0a66c2;color:#fff}button.cancel{background:#fff;color:#0a66c2}.error{color:#b24020}`;

export interface AuthorizeParams {
  response_type: string;
  client_id: string;
  redirect_uri: string;
  state?: string;
  scope: string;
}

export function consentPage(
  params: AuthorizeParams,
  scopes: readonly string[],
  members: readonly DemoMember[],
): string {
  const hidden = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(String(v))}">`)
    .join('\n');
  const choices = members
    .map((m, i) => {
      const roles =
        m.accounts.length === 0
          ? 'no ad accounts'
          : m.accounts.map((a) => `${a.role} on ${a.account.name} (${a.account.id})`).join('; ');
      return `<label class="member"><input type="radio" name="member" value="${escapeHtml(m.id)}"${i === 0 ? ' checked' : ''}>
<strong>${escapeHtml(m.name)}</strong> <code>${escapeHtml(m.id)}</code><small>${escapeHtml(m.headline)}</small><small>${escapeHtml(roles)}</small></label>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LinkedIn sandbox – authorize</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head><body><main>
<h1>Sign in to the LinkedIn sandbox</h1>
<p class="note">Offline simulator. Pick the demo member to sign in as; no real LinkedIn account is involved.</p>
<p>The app <code>${escapeHtml(params.client_id)}</code> would like to:</p>
<ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>
<form method="post" action="authorization">
${hidden}
${choices}
<div class="buttons"><button class="allow" type="submit" name="decision" value="allow">Allow</button>
<button class="cancel" type="submit" name="decision" value="cancel">Cancel</button></div>
</form></main></body></html>`;
}

export function errorPage(title: string, detail: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LinkedIn sandbox – error</title>
<style>${STYLE}</style></head><body><main><h1 class="error">${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main></body></html>`;
}
