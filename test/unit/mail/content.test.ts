import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTACHMENT_POLICY, attachmentVerdict, isDangerous, normaliseForMatching, splitQuoted } from '../../../shared/domain/mail/content';
import type { Attachment } from '../../../shared/domain/mail/types';

describe('splitQuoted', () => {
  it.each<[string, string, string, string | null]>([
    ['no quote', 'Just a question.\n\nThanks', 'Just a question.\n\nThanks', null],
    ['Gmail attribution', 'Still broken.\n\nOn Mon, Mar 4, 2024 at 9:00 AM Support <support@example.com> wrote:\n> Restart it.\n', 'Still broken.', 'On Mon, Mar 4, 2024 at 9:00 AM Support <support@example.com> wrote:\n> Restart it.'],
    ['attribution wrapped onto two lines', 'Still broken.\n\nOn Mon, Mar 4, 2024 at 9:00 AM Support Team <support@example.com>\nwrote:\n\n> Restart it.', 'Still broken.', 'On Mon, Mar 4, 2024 at 9:00 AM Support Team <support@example.com>\nwrote:\n\n> Restart it.'],
    ['Apple Mail', 'Yes.\n\n> On 4 Mar 2024, at 09:00, Support <support@example.com> wrote:\n> \n> Restart it.', 'Yes.', '> On 4 Mar 2024, at 09:00, Support <support@example.com> wrote:\n> \n> Restart it.'],
    ['Original Message separator', 'Done.\n\n-----Original Message-----\nFrom: Support\nRestart it.', 'Done.', '-----Original Message-----\nFrom: Support\nRestart it.'],
    [
      'Outlook header block with underscores',
      'Thanks, works now\n\nAnna\n\n________________________________\nFrom: Support <support@example.com>\nSent: Monday, March 4, 2024 9:00 AM\nTo: Anna\nSubject: Your printer\n\nRestart it.',
      'Thanks, works now\n\nAnna',
      '________________________________\nFrom: Support <support@example.com>\nSent: Monday, March 4, 2024 9:00 AM\nTo: Anna\nSubject: Your printer\n\nRestart it.',
    ],
    ['Outlook bold header block', 'OK\n\n*From:* Support\n*Sent:* Monday\n*Subject:* x\n\nold', 'OK', '*From:* Support\n*Sent:* Monday\n*Subject:* x\n\nold'],
    ['German Am ... schrieb', 'Danke!\n\nAm 04.03.2024 um 09:00 schrieb Support <support@example.com>:\n> Erledigt.', 'Danke!', 'Am 04.03.2024 um 09:00 schrieb Support <support@example.com>:\n> Erledigt.'],
    ['Persian', 'ممنون، حل شد.\n\nدر تاریخ دوشنبه ۴ مارس ۲۰۲۴ ساعت ۹:۰۰، پشتیبانی <support@example.com> نوشت:\n> انجام شد.', 'ممنون، حل شد.', 'در تاریخ دوشنبه ۴ مارس ۲۰۲۴ ساعت ۹:۰۰، پشتیبانی <support@example.com> نوشت:\n> انجام شد.'],
    ['Persian with direction marks', 'ممنون\n\n\u200fدر تاریخ ۴ مارس، پشتیبانی نوشت:\u200f\n> قدیمی', 'ممنون', '\u200fدر تاریخ ۴ مارس، پشتیبانی نوشت:\u200f\n> قدیمی'],
    ['Arabic', 'شكراً\n\nفي الاثنين، ٤ مارس ٢٠٢٤ كتب الدعم <support@example.com>:\n> تم.', 'شكراً', 'في الاثنين، ٤ مارس ٢٠٢٤ كتب الدعم <support@example.com>:\n> تم.'],
    ['trailing > block without attribution', 'New text here\n\n> old line 1\n> old line 2', 'New text here', '> old line 1\n> old line 2'],
    ['bottom-posting', '> old question\n> more\n\nMy answer below', 'My answer below', '> old question\n> more'],
    ['nested quotes', 'Top\n\nOn Tue, Bob wrote:\n> Middle\n>\n> On Mon, Anna wrote:\n>> Bottom', 'Top', 'On Tue, Bob wrote:\n> Middle\n>\n> On Mon, Anna wrote:\n>> Bottom'],
    ['signature stays fresh', 'Answer\n\n-- \nAnna Example\nACME\n\nOn Mon, Support wrote:\n> x', 'Answer\n\n-- \nAnna Example\nACME', 'On Mon, Support wrote:\n> x'],
    ['CRLF line endings', 'Hi\r\n\r\nOn Mon, Support wrote:\r\n> x', 'Hi', 'On Mon, Support wrote:\n> x'],
  ])('%s', (_, text, fresh, quoted) => {
    expect(splitQuoted(text)).toEqual({ fresh, quoted });
  });

  it('interleaved answers are kept whole', () => {
    const text = '> q1\nanswer 1\n> q2\nanswer 2';
    expect(splitQuoted(text)).toEqual({ fresh: text, quoted: null });
  });

  it('keeps the whole text when everything would be quoted', () => {
    expect(splitQuoted('> only quoted\n> lines')).toEqual({ fresh: '> only quoted\n> lines', quoted: null });
    expect(splitQuoted('On Mon, Support wrote:\n> x')).toEqual({ fresh: 'On Mon, Support wrote:\n> x', quoted: null });
    expect(splitQuoted('')).toEqual({ fresh: '', quoted: null });
  });

  it('a sentence starting with "On" is not an attribution', () => {
    const text = 'On Monday the printer broke.\nIt still is.\n\nOn Tue, 5 Mar 2024, Support wrote:\n> x';
    expect(splitQuoted(text).fresh).toBe('On Monday the printer broke.\nIt still is.');
  });

  it('a forwarded message is content, not a quote', () => {
    const text = 'See below\n\n---------- Forwarded message ---------\nFrom: Vendor\nThe invoice';
    expect(splitQuoted(text)).toEqual({ fresh: text, quoted: null });
  });
});

const att = (over: Partial<Attachment> = {}): Attachment => ({ filename: 'a.pdf', contentType: 'application/pdf', size: 1000, contentId: null, inline: false, ...over });
const MB = 1024 * 1024;

describe('attachmentVerdict', () => {
  it('defaults: 10 MB each, 25 MB per mail, nothing refused by type', () => {
    expect(DEFAULT_ATTACHMENT_POLICY).toEqual({ maxBytes: 10 * MB, maxTotalBytes: 25 * MB, refusedTypes: [] });
  });

  it.each([
    ['small PDF', att(), 0, { accepted: true, dangerous: false, reason: null }],
    ['exactly 10 MB', att({ size: 10 * MB }), 0, { accepted: true, dangerous: false, reason: null }],
    ['over 10 MB', att({ size: 10 * MB + 1 }), 0, { accepted: false, dangerous: false, reason: '10 MB is over the limit of 10 MB per attachment' }],
    ['12 MB', att({ size: 12 * MB }), 0, { accepted: false, dangerous: false, reason: '12 MB is over the limit of 10 MB per attachment' }],
    ['total reaches 25 MB', att({ size: 5 * MB }), 20 * MB, { accepted: true, dangerous: false, reason: null }],
    ['total over 25 MB', att({ size: 6 * MB }), 20 * MB, { accepted: false, dangerous: false, reason: 'the attachments of this mail would exceed 25 MB in total' }],
    ['dangerous but accepted', att({ filename: 'setup.exe' }), 0, { accepted: true, dangerous: true, reason: 'this type can run code when opened' }],
    ['dangerous and too large', att({ filename: 'setup.exe', size: 11 * MB }), 0, { accepted: false, dangerous: true, reason: '11 MB is over the limit of 10 MB per attachment' }],
  ])('%s', (_, a, total, verdict) => {
    expect(attachmentVerdict(a, DEFAULT_ATTACHMENT_POLICY, total)).toEqual(verdict);
  });

  it('refuses the policy types, whatever their parameters and case', () => {
    const policy = { ...DEFAULT_ATTACHMENT_POLICY, refusedTypes: ['application/x-msdownload'] };
    expect(attachmentVerdict(att({ contentType: 'Application/X-MSDownload; name=x' }), policy, 0)).toEqual({ accepted: false, dangerous: true, reason: 'type application/x-msdownload is not accepted' });
  });
});

describe('isDangerous', () => {
  it.each<[string | null, string, boolean]>([
    ['report.pdf', 'application/pdf', false],
    ['photo.JPG', 'image/jpeg', false],
    ['archive.zip', 'application/zip', false],
    ['notes.txt', 'text/plain', false],
    [null, 'application/octet-stream', false],
    ['setup.exe', 'application/octet-stream', true],
    ['SETUP.EXE', 'application/octet-stream', true],
    ['invoice.pdf.exe', 'application/pdf', true],
    ['invoice.exe. ', 'application/pdf', true],
    ['run.bat', 'text/plain', true],
    ['script.ps1', 'text/plain', true],
    ['invoice.js', 'text/plain', true],
    ['invoice.vbs', 'text/plain', true],
    ['order.docm', 'application/octet-stream', true],
    ['sheet.xlsm', 'application/octet-stream', true],
    ['deck.pptm', 'application/octet-stream', true],
    ['disk.iso', 'application/octet-stream', true],
    ['disk.img', 'application/octet-stream', true],
    ['app.dmg', 'application/octet-stream', true],
    ['shortcut.lnk', 'application/octet-stream', true],
    ['page.hta', 'text/html', true],
    ['installer.msi', 'application/octet-stream', true],
    ['lib.jar', 'application/octet-stream', true],
    ['invoice\u202Efdp.exe', 'application/pdf', true],
    ['invoice\u202Eexe.pdf', 'application/pdf', true],
    [null, 'application/x-msdownload', true],
    [null, 'application/vnd.ms-excel.sheet.macroEnabled.12', true],
    [null, 'text/javascript; charset=utf-8', true],
    ['noextension', 'application/octet-stream', false],
  ])('%s (%s) -> %s', (name, type, yes) => {
    expect(isDangerous(name, type)).toBe(yes);
  });
});

describe('normaliseForMatching', () => {
  it.each([
    ['Arabic yeh and kaf become Persian', 'كيف يك', 'کیف یک'],
    ['Persian digits', '۱۲۳۴۵۶۷۸۹۰', '1234567890'],
    ['Arabic-Indic digits', '٤٥٦', '456'],
    ['lower case and NFKC (full-width)', 'ＣＡＳ－０１', 'cas-01'],
    ['whitespace collapsed and trimmed', '  a \t\n b  ', 'a b'],
    ['zero-width non-joiner dropped', 'می‌خواهم', 'میخواهم'],
    ['windows-1256 Persian equals Unicode Persian', 'نمي‌کند', 'نمیکند'],
  ])('%s', (_, input, out) => {
    expect(normaliseForMatching(input)).toBe(out);
  });
});
