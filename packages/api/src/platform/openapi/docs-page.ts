import type { OpenApiDocument, OpenApiOperation, OpenApiParameter } from './openapi-document.js';

/** The page's policy: nothing but its own inline styles; no scripts, frames, or outside loads. */
export const DOCS_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * A self-contained, script-free HTML view of the OpenAPI document for developers: operations
 * grouped by tag with method, path, summary and permission, and their schemas folded away.
 */
export function renderDocsPage(doc: OpenApiDocument, jsonUrl: string): string {
  const byTag = new Map<string, { method: string; path: string; op: OpenApiOperation }[]>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags[0] ?? 'other';
      const list = byTag.get(tag) ?? [];
      list.push({ method, path, op });
      byTag.set(tag, list);
    }
  }
  const tags = doc.tags.filter((t) => byTag.has(t.name));
  const toc = tags
    .map(
      (t) => `<li><a href="#tag-${esc(t.name)}">${esc(t.name)}</a> (${byTag.get(t.name)?.length ?? 0})</li>`,
    )
    .join('');
  const sections = tags
    .map((t) => {
      const ops = (byTag.get(t.name) ?? [])
        .map(({ method, path, op }) => operationHtml(method, path, op))
        .join('');
      const about = t.description ? `<p class="about">${prose(t.description)}</p>` : '';
      return `<section id="tag-${esc(t.name)}"><h2>${esc(t.name)}</h2>${about}${ops}</section>`;
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)} · OpenAPI ${esc(doc.openapi)}</small></h1>
<p>${prose(doc.info.description)}</p>
<p>Machine-readable document: <a href="${esc(jsonUrl)}">${esc(jsonUrl)}</a>. Typed client: <code>@ehrms/sdk</code>.</p>
<nav aria-label="Tags"><ul>${toc}</ul></nav>
</header>
<main>${sections}</main>
</body>
</html>
`;
}

function operationHtml(method: string, path: string, op: OpenApiOperation): string {
  const access = op['x-permission']
    ? [op['x-permission'], ...(op['x-permission-alternatives'] ?? [])]
        .map((p) => `<span class="perm" title="required permission">${esc(p)}</span>`)
        .join(' or ')
    : `<span class="public" title="${esc(op['x-public-reason'] ?? '')}">public</span>`;
  const params = (op.parameters ?? []).filter((p): p is OpenApiParameter => 'name' in p);
  const details: string[] = [];
  if (op.description) details.push(`<p>${prose(op.description)}</p>`);
  if (params.length > 0) {
    const rows = params
      .map(
        (p) =>
          `<tr><td><code>${esc(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td>` +
          `<td><code>${esc(JSON.stringify(p.schema))}</code></td></tr>`,
      )
      .join('');
    details.push(
      `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr></thead><tbody>${rows}</tbody></table>`,
    );
  }
  const body = op.requestBody?.content['application/json']?.schema;
  if (body) details.push(`<h4>Request body</h4><pre>${esc(JSON.stringify(body, null, 2))}</pre>`);
  for (const [status, response] of Object.entries(op.responses)) {
    if ('$ref' in response) continue;
    for (const [type, media] of Object.entries(response.content ?? {})) {
      details.push(
        `<h4>${esc(status)} ${esc(response.description)} <small>${esc(type)}</small></h4>` +
          `<pre>${esc(JSON.stringify(media.schema, null, 2))}</pre>`,
      );
    }
    if (!response.content) details.push(`<h4>${esc(status)} ${esc(response.description)}</h4>`);
  }
  return `<details class="op" id="${esc(op.operationId)}">
<summary><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code class="path">${esc(path)}</code> <span class="summary">${esc(op.summary ?? '')}</span> ${access}</summary>
<div class="body"><p class="opid">operationId <code>${esc(op.operationId)}</code></p>${details.join('')}</div>
</details>`;
}

/** Escaped text with `backticked` spans shown as code, the one bit of Markdown descriptions use. */
function prose(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--code:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--bg:#0d1117;--code:#151b23}}
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 1.5rem;color:var(--fg);background:var(--bg)}
h1 small{font-weight:normal;color:var(--muted);font-size:.6em}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;padding:0;list-style:none}
a{color:inherit}
section{margin-top:2rem}
.about{color:var(--muted);margin-top:-.5rem}
details.op{border:1px solid var(--line);border-radius:6px;margin:.4rem 0}
details.op>summary{cursor:pointer;padding:.45rem .7rem;display:flex;flex-wrap:wrap;gap:.6rem;align-items:baseline}
.method{font:600 12px/1.6 ui-monospace,monospace;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;background:#59636e}
.method.get{background:#0969da}.method.post{background:#1a7f37}.method.put,.method.patch{background:#9a6700}.method.delete{background:#cf222e}
.path{font-size:14px}
.summary{color:var(--muted);flex:1}
.perm,.public{font:12px ui-monospace,monospace;padding:0 .4rem;border:1px solid var(--line);border-radius:4px}
.public{color:#1a7f37}
.body{padding:0 .9rem .6rem;border-top:1px solid var(--line)}
.opid{color:var(--muted);font-size:13px}
pre,table code{background:var(--code);font-size:12px}
pre{padding:.6rem;overflow:auto;max-height:24rem;border-radius:4px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
`;
