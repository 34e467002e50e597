// The pages' HTML helper escapes every interpolated value; only SafeHtml (other templates) passes as is.
import { escapeHtml, html, SafeHtml } from '@adapters/web/html.js';

describe('html templates', () => {
  it('escapes text and attribute values', () => {
    const evil = `"><script>alert('x')</script>&`;
    expect(html`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</p>',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('nests templates, joins arrays and drops null, undefined and false', () => {
    const items = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    expect(
      html`<ul>
        ${items}${null}${undefined}${false}
      </ul>`.value
        .replace(/>\s+</g, '><')
        .trim(),
    ).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${new SafeHtml('<b>ok</b>')}`.value).toBe('<b>ok</b>');
    expect(html`${0}`.value).toBe('0');
  });
});
