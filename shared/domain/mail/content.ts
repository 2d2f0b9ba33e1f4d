/**
 * The content rules of inbound mail: what of a body is new, which attachments are accepted or
 * flagged, and the text form used to compare mail with what people type.
 */
import { normaliseText } from '../routing/text';
import type { Attachment, AttachmentPolicy, AttachmentVerdict, SplitBody } from './types';

// ---------------------------------------------------------------------------------------------
// Quoted replies

/** Direction marks and isolates that RTL mail clients put around attribution lines. */
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;

/**
 * Attribution lines that start the quoted conversation. Each must match a whole (trimmed) line,
 * possibly two lines joined when a client wrapped it. Mail clients word them in the reader's
 * language, so the common ones are listed per language.
 */
const ATTRIBUTIONS: RegExp[] = [
  /^on\b.{1,300}\bwrote\s*:?$/i, // Gmail, Apple Mail, Thunderbird
  /^am\b.{1,300}\bschrieb\b.{0,200}:?$/i, // German
  /^le\b.{1,300}\ba écrit\s*:?$/i, // French
  /^el\b.{1,300}\bescribió\s*:?$/i, // Spanish
  /^در\s.{1,300}نوشت\s*:?$/, // Persian (Gmail: "در تاریخ ... نوشت:")
  /^(في|بتاريخ)\s.{1,300}(^|\s)كتب(\s.{0,300})?:?$/, // Arabic (Gmail: "في ... كتب ...:")
];

const SEPARATORS: RegExp[] = [
  /^-{2,}\s*(original message|ursprüngliche nachricht|message d'origine|mensaje original|پیام اصلی|الرسالة الأصلية)\s*-{2,}$/i,
];

/** The first line of an Outlook header block, and the lines that must follow it. */
const OUTLOOK_FROM = /^\*?(from|von|de|از|من)\s*:\*?\s*\S/i;
const OUTLOOK_SENT = /^\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|تاریخ|ارسال|التاريخ|تم الإرسال)\s*:/i;
const OUTLOOK_SUBJECT = /^\*?(subject|betreff|objet|asunto|موضوع|الموضوع)\s*:/i;

const clean = (line: string) => line.replace(BIDI, '').trim();

/** Index of the line where the quoted conversation starts, or -1. */
function quoteStart(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = clean(lines[i]!);
    if (line === '') continue;
    if (SEPARATORS.some((re) => re.test(line))) return i;
    if (ATTRIBUTIONS.some((re) => re.test(line))) return i;
    const next = clean(lines[i + 1] ?? '');
    if (next !== '' && ATTRIBUTIONS.some((re) => re.test(`${line} ${next}`)) && !ATTRIBUTIONS.some((re) => re.test(next))) return i;
    if (OUTLOOK_FROM.test(line)) {
      const block = lines.slice(i + 1, i + 7).map(clean);
      if (block.some((l) => OUTLOOK_SENT.test(l)) && block.some((l) => OUTLOOK_SUBJECT.test(l))) {
        // Outlook draws a line of underscores above the block: it belongs to the quote
        const prev = i > 0 ? clean(lines[i - 1]!) : '';
        return /^_{8,}$/.test(prev) ? i - 1 : i;
      }
    }
  }
  return -1;
}

const isQuotedLine = (line: string) => /^\s*>/.test(line);

/**
 * Split what the sender wrote now from the earlier conversation they quoted. Top-posted replies
 * split at the attribution line ("On ... wrote:", Outlook's header block...); bottom-posted ones
 * at the `>` block before the new text. Interleaved answers (quote, answer, quote, answer) are
 * kept whole: hiding any part of them would hide part of the answer. Signatures stay in `fresh`,
 * and when nothing fresh would remain the whole text is fresh.
 */
export function splitQuoted(text: string): SplitBody {
  const normalised = text.replace(/\r\n?/g, '\n');
  const lines = normalised.split('\n');
  let fresh: string;
  let quoted: string;
  const start = quoteStart(lines);
  if (start >= 0) {
    fresh = lines.slice(0, start).join('\n');
    quoted = lines.slice(start).join('\n');
  } else {
    const split = splitQuoteBlocks(lines);
    if (!split) return { fresh: text, quoted: null };
    [fresh, quoted] = split;
  }
  if (fresh.trim() === '' || quoted.trim() === '') return { fresh: text, quoted: null };
  return { fresh: fresh.replace(/\s+$/, ''), quoted: quoted.replace(/^\n+|\s+$/g, '') };
}

/** One `>` block at the end (top-posting without attribution) or at the start (bottom-posting). */
function splitQuoteBlocks(lines: readonly string[]): [string, string] | null {
  const kinds = lines.map((l) => (l.trim() === '' ? 'blank' : isQuotedLine(l) ? 'quote' : 'text'));
  // runs of quote/text, blanks joining whatever surrounds them
  const runs: { kind: 'quote' | 'text'; from: number }[] = [];
  kinds.forEach((k, i) => {
    if (k === 'blank') return;
    if (runs.at(-1)?.kind !== k) runs.push({ kind: k, from: i });
  });
  if (runs.length !== 2) return null;
  const cut = runs[1]!.from;
  const first = lines.slice(0, cut).join('\n');
  const second = lines.slice(cut).join('\n');
  return runs[0]!.kind === 'text' ? [first, second] : [second, first];
}

// ---------------------------------------------------------------------------------------------
// Attachments

const MB = 1024 * 1024;

/** 10 MB per attachment, 25 MB per mail (SES accepts mail up to 40 MB, base64 included). */
export const DEFAULT_ATTACHMENT_POLICY: AttachmentPolicy = { maxBytes: 10 * MB, maxTotalBytes: 25 * MB, refusedTypes: [] };

/**
 * Extensions that run code when opened on the reader's machine: Windows executables and
 * installers, scripts and their hosts, shortcuts, HTML applications, Office files with macros,
 * disk images (they bypass the mark-of-the-web), Java and control-panel items.
 */
const DANGEROUS_EXTENSIONS = new Set(
  (
    'exe com scr pif bat cmd msi msp mst msc cpl dll ocx sys drv jar js jse mjs vbs vbe vb wsf wsh wsc ws ps1 ps1xml ps2 psm1 psd1 ' +
    'hta lnk url scf inf reg application gadget appref-ms appx msix msixbundle settingcontent-ms library-ms sh command app ' +
    'docm dotm xlsm xltm xlam xlsb pptm potm ppam ppsm sldm xll iqy slk iso img vhd vhdx dmg udf chm apk'
  ).split(' '),
);

const DANGEROUS_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-executable',
  'application/vnd.microsoft.portable-executable',
  'application/x-msi',
  'application/x-ms-installer',
  'application/x-bat',
  'application/x-sh',
  'application/x-shellscript',
  'application/javascript',
  'application/x-javascript',
  'text/javascript',
  'text/vbscript',
  'application/x-vbscript',
  'application/hta',
  'application/x-ms-shortcut',
  'application/java-archive',
  'application/x-java-archive',
  'application/x-iso9660-image',
  'application/x-apple-diskimage',
  'application/vnd.android.package-archive',
]);

/** True when opening the file may run code: by extension, MIME type, or a deceptive name. */
export function isDangerous(filename: string | null, contentType: string): boolean {
  const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (DANGEROUS_TYPES.has(type) || type.includes('macroenabled')) return true;
  if (!filename) return false;
  // direction overrides make `exe.pdf` display as `fdp.exe` and the like: deceptive by intent
  if (/[\u202a-\u202e\u2066-\u2069]/.test(filename)) return true;
  // Windows ignores trailing dots and spaces, so `invoice.exe. ` is an exe
  const name = filename.normalize('NFKC').toLowerCase().replace(/[.\s]+$/, '');
  const dot = name.lastIndexOf('.');
  return dot >= 0 && DANGEROUS_EXTENSIONS.has(name.slice(dot + 1));
}

const formatMb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/**
 * Whether one attachment is stored. `totalSoFar` is what this mail's earlier attachments already
 * took. A dangerous file is still stored (the customer may mean it; an agent can ask), but flagged
 * so the timeline warns before anyone opens it.
 */
export function attachmentVerdict(a: Attachment, policy: AttachmentPolicy, totalSoFar: number): AttachmentVerdict {
  const dangerous = isDangerous(a.filename, a.contentType);
  const type = (a.contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  if (policy.refusedTypes.includes(type)) return { accepted: false, dangerous, reason: `type ${type} is not accepted` };
  if (a.size > policy.maxBytes) return { accepted: false, dangerous, reason: `${formatMb(a.size)} is over the limit of ${formatMb(policy.maxBytes)} per attachment` };
  if (totalSoFar + a.size > policy.maxTotalBytes)
    return { accepted: false, dangerous, reason: `the attachments of this mail would exceed ${formatMb(policy.maxTotalBytes)} in total` };
  return { accepted: true, dangerous, reason: dangerous ? 'this type can run code when opened' : null };
}

// ---------------------------------------------------------------------------------------------
// Matching

/**
 * Text for searching and comparing: the routing normalisation (NFKC, lower case, Arabic yeh and
 * kaf as their Persian forms, Persian and Arabic-Indic digits as ASCII, no diacritics or
 * zero-width joiners) plus collapsed whitespace, so the same words typed on an Arabic or a Persian
 * keyboard compare equal.
 */
export function normaliseForMatching(s: string): string {
  return normaliseText(s).replace(/\s+/g, ' ').trim();
}
