/**
 * HTML from mail is hostile until proven otherwise: it is stored and shown only after this
 * allowlist. Kept: text formatting, lists, tables, links (http, https, mailto) and inline images
 * (cid: and data: raster images). Dropped: scripts, styles (CSS can exfiltrate and overlay),
 * frames, forms, SVG and MathML (script carriers), event handlers, remote images (tracking pixels,
 * and they tell the sender when an agent reads the mail), ids and names (DOM clobbering).
 */
import sanitizeHtml from 'sanitize-html';

const TEXT_TAGS = ['p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'sub', 'sup', 'small', 'mark', 'font', 'center'];
const BLOCK_TAGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'hr', 'address', 'cite', 'q', 'abbr', 'kbd', 'samp', 'tt', 'var'];
const LIST_TAGS = ['ul', 'ol', 'li', 'dl', 'dt', 'dd'];
const TABLE_TAGS = ['table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'colgroup', 'col'];

/** Elements whose content is dropped with them (not just their tags). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'select', 'noscript', 'title', 'head', 'xmp', 'iframe', 'noembed', 'noframes', 'template', 'object', 'svg', 'math'];

const INLINE_IMAGE = /^(cid:[^\s"'<>]+|data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+)$/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...TEXT_TAGS, ...BLOCK_TAGS, ...LIST_TAGS, ...TABLE_TAGS, 'a', 'img'],
  allowedAttributes: {
    // direction and language matter for Persian and Arabic mail
    '*': ['dir', 'lang', 'title'],
    a: ['href', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'scope'],
    col: ['span'],
    colgroup: ['span'],
    ol: ['start', 'type', 'reversed'],
    li: ['value'],
    table: ['border', 'cellpadding', 'cellspacing'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  nonTextTags: DROPPED_WITH_CONTENT,
  allowVulnerableTags: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    img: (tagName, attribs) => {
      const src = (attribs.src ?? '').trim();
      const { src: _dropped, ...rest } = attribs;
      return { tagName, attribs: INLINE_IMAGE.test(src) ? { ...rest, src } : rest };
    },
  },
  // an image left without an allowed source is a remote image: drop it entirely
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

// ---------------------------------------------------------------------------------------------
// HTML -> text

const BLOCKS = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'tr', 'section', 'article', 'header', 'footer', 'address', 'center', 'form', 'fieldset', 'caption']);
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'math', 'object', 'iframe', 'select', 'textarea']);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  shy: '\u00ad',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  deg: '°',
  times: '×',
  divide: '÷',
  sect: '§',
  para: '¶',
};

/** Named (the common ones) and numeric character references. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+|<)/g;

/**
 * Readable plain text from HTML, for mail that has no text part: block elements and `<br>`
 * become line breaks, list items get a dash, table cells are separated by tabs, links keep their
 * URL in parentheses (unless the text already shows it), entities are decoded.
 */
export function htmlToText(html: string): string {
  let out = '';
  let skipDepth = 0;
  let preDepth = 0;
  const links: { href: string | null; start: number }[] = [];
  const newline = () => {
    if (out !== '' && !out.endsWith('\n')) out += '\n';
  };
  for (const m of html.matchAll(TOKEN)) {
    const [, slash, rawName, attrs, text] = m;
    if (text !== undefined) {
      if (skipDepth > 0) continue;
      const decoded = decodeEntities(text);
      if (preDepth > 0) out += decoded;
      else {
        const collapsed = decoded.replace(/[ \t\r\n\f]+/g, ' ');
        // collapsed whitespace at the start of a line is layout, not text
        out += out === '' || out.endsWith('\n') ? collapsed.replace(/^ /, '') : collapsed;
      }
      continue;
    }
    if (!rawName) continue; // comment, doctype, processing instruction
    const name = rawName.toLowerCase();
    const closing = slash === '/';
    if (SKIPPED.has(name)) {
      if (/\/\s*$/.test(attrs ?? '')) continue;
      skipDepth = Math.max(0, skipDepth + (closing ? -1 : 1));
      continue;
    }
    if (skipDepth > 0) continue;
    if (name === 'br') out += '\n';
    else if (name === 'hr') {
      newline();
      out += '---\n';
    } else if (name === 'li') {
      newline();
      if (!closing) out += '- ';
    } else if (name === 'td' || name === 'th') {
      if (!closing && !out.endsWith('\n') && out !== '') out += '\t';
    } else if (name === 'img' && !closing) {
      const alt = attribute(attrs ?? '', 'alt');
      if (alt) out += decodeEntities(alt);
    } else if (name === 'a') {
      if (!closing) links.push({ href: attribute(attrs ?? '', 'href'), start: out.length });
      else {
        const link = links.pop();
        const href = link?.href ? decodeEntities(link.href).trim() : '';
        const label = link ? out.slice(link.start) : '';
        const shown = href.replace(/^mailto:/i, '');
        if (/^(https?|mailto):/i.test(href) && !label.includes(shown)) out += ` (${shown})`;
      }
    } else if (BLOCKS.has(name)) {
      newline();
      if (name === 'pre') preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
      if (closing && (name === 'p' || /^h[1-6]$/.test(name))) out += '\n';
    }
  }
  return out
    .split('\n')
    .map((l) => l.replace(/[ \u00a0]+$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function attribute(attrs: string, name: string): string | null {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
}
