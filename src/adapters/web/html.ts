// HTML for the service's own pages: a tagged template that escapes every interpolated value (only
// `SafeHtml` passes as is), and the one page layout all pages share (site.css, module scripts, no inline
// script or style, so the pages' Content-Security-Policy can allow 'self' only).
import type { WebAssets } from './web-assets.js';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function piece(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** html`<p>${text}</p>`: values are escaped; arrays are joined; null, undefined and false are nothing. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += piece(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

export interface PageOptions {
  title: string;
  /** The page's content, inside <main>. */
  main: SafeHtml;
  /** Module scripts under /assets/ (e.g. 'book.js'), loaded deferred. */
  scripts?: string[];
  /** Attributes of <main> (data-* the scripts read), escaped. */
  data?: Record<string, string>;
  /** Extra classes on <body>. */
  bodyClass?: string;
}

export function renderPage(assets: WebAssets, options: PageOptions): string {
  const data = Object.entries(options.data ?? {}).map(([k, v]) => html` data-${k}="${v}"`);
  const scripts = options.scripts ?? [];
  // The modules a script imports are announced at once, so they load in parallel with it, not after it.
  const imported = assets.closure(scripts).filter((a) => !scripts.includes(a.name));
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${options.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.url('site.css')}">
${scripts.map((s) => html`<script type="module" src="${assets.url(s)}"></script>`)}
${imported.map((a) => html`<link rel="modulepreload" href="${assets.url(a.name)}" />`)}
</head>
<body${options.bodyClass ? html` class="${options.bodyClass}"` : ''}>
<main id="main"${data}>
${options.main}
</main>
</body>
</html>
`.value;
}

/** A page that says, in plain words, what happened and what to do next. */
export function messagePage(assets: WebAssets, title: string, sentences: string[]): string {
  return renderPage(assets, {
    title,
    main: html`<section class="card">
      <h1>${title}</h1>
      ${sentences.map((s) => html`<p>${s}</p>`)}
    </section>`,
  });
}
